// Per-project state directory and the project lock: an O_EXCL file holding "pid start-time",
// so two gantry commands on one project serialize; a lock whose holder is dead is taken over.
import { mkdirSync, openSync, closeSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { stateDirs } from '../common/state-root.ts';
import { RuntimeError } from '../common/errors.ts';

export const projectDir = (root: string, project: string): string => join(stateDirs(root).projects, project);

function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function holderAlive(file: string): boolean {
  try {
    const [pid, start] = readFileSync(file, 'utf8').trim().split(' ');
    return processStart(Number(pid)) === start;
  } catch {
    return false; // gone or half-written by a killed process
  }
}

function tryLock(file: string): boolean {
  try {
    const fd = openSync(file, 'wx', 0o600);
    writeSync(fd, `${process.pid} ${processStart(process.pid) ?? ''}\n`);
    closeSync(fd);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return false;
  }
}

export interface ProjectLock {
  release(): void;
  /** The lock was taken over from a dead holder: a gantry command was killed mid-way. */
  readonly recovered: boolean;
}

/** Waits (polling) up to timeoutMs for the lock; stale locks of dead processes are removed. */
export async function lockProject(dir: string, timeoutMs = 120_000): Promise<ProjectLock> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'lock');
  const deadline = Date.now() + timeoutMs;
  let recovered = false;
  for (;;) {
    if (tryLock(file)) return { release: () => rmSync(file, { force: true }), recovered };
    // A lock just created may not have its content yet: only a readable, dead holder is stale.
    if (!holderAlive(file)) {
      try {
        if (readFileSync(file, 'utf8').includes(' ')) {
          rmSync(file, { force: true });
          recovered = true;
        }
      } catch {}
    }
    if (Date.now() > deadline) throw new RuntimeError(`project lock ${file}: held by another gantry command (${readFileSync(file, 'utf8').trim()})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
