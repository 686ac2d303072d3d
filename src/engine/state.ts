// Per-project state directory and the project lock: a file linked into place holding "pid start-time",
// so two gantry commands on one project serialize; a lock whose holder is dead is taken over.
import { linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
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

/** "pid start-time" of a lock file; undefined when it is gone. */
function holderOf(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function alive(holder: string): boolean {
  const [pid, start] = holder.split(' ');
  return start !== undefined && processStart(Number(pid)) === start;
}

/**
 * The lock is linked into place from a complete temp file, so it never exists empty (a process
 * killed between create and write would otherwise leave a lock nobody can judge stale).
 */
function tryLock(dir: string, file: string): boolean {
  mkdirSync(dir, { recursive: true }); // the last holder's release may have removed it
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${process.pid} ${processStart(process.pid) ?? ''}\n`, { mode: 0o600 });
    linkSync(tmp, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOENT') throw e; // ENOENT: dir removed by a release
    return false;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Temp files of lock attempts whose process was killed between write and link. */
function removeDeadAttempts(dir: string): void {
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {}
  for (const n of names) {
    const pid = /^lock\.(\d+)\.(?:tmp|stale)$/.exec(n)?.[1];
    if (pid !== undefined && processStart(Number(pid)) === undefined) rmSync(join(dir, n), { force: true });
  }
}

/**
 * Takes a dead holder's lock away: renamed aside first (atomic), and put back if what was
 * moved is not the dead holder's (another command took the lock over in between).
 */
function takeOver(file: string, dead: string): boolean {
  const aside = `${file}.${process.pid}.stale`;
  try {
    renameSync(file, aside);
  } catch {
    return false;
  }
  if (holderOf(aside) === dead) {
    rmSync(aside, { force: true });
    return true;
  }
  try {
    linkSync(aside, file);
  } catch {}
  rmSync(aside, { force: true });
  return false;
}

/** Drops the lock, and the project dir with it when nothing else is left in it (after down). */
function release(dir: string, file: string): void {
  rmSync(file, { force: true });
  try {
    rmdirSync(dir);
  } catch {} // not empty: the project still has state
}

export interface ProjectLock {
  release(): void;
  /** The lock was taken over from a dead holder: a gantry command was killed mid-way. */
  readonly recovered: boolean;
}

/** Waits (polling) up to timeoutMs for the lock; stale locks of dead processes are removed. */
export async function lockProject(dir: string, timeoutMs = 120_000): Promise<ProjectLock> {
  const file = join(dir, 'lock');
  const deadline = Date.now() + timeoutMs;
  let recovered = false;
  removeDeadAttempts(dir);
  for (;;) {
    if (tryLock(dir, file)) return { release: () => release(dir, file), recovered };
    const holder = holderOf(file);
    if (holder !== undefined && !alive(holder) && takeOver(file, holder)) recovered = true;
    else if (Date.now() > deadline) throw new RuntimeError(`project lock ${file}: held by another gantry command (${holder ?? 'just released'})`);
    else await new Promise((r) => setTimeout(r, 50));
  }
}
