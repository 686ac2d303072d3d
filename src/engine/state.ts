// Per-project state directory and the project lock (common/lock-file.ts) holding "pid start-time",
// so two gantry commands on one project serialize; a lock whose holder is dead is taken over.
import { readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stateDirs } from '../common/state-root.ts';
import { RuntimeError } from '../common/errors.ts';
import { lockContent, removeDeadAttempts, takeOver, tryLinkLock } from '../common/lock-file.ts';
import { mkdirPrivate } from '../common/private-files.ts';
import { checkName } from '../common/names.ts';

export const projectDir = (root: string, project: string): string =>
  join(stateDirs(root).projects, checkName('project', project));

function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function alive(holder: string): boolean {
  const [pid, start] = holder.trim().split(' ');
  return start !== undefined && processStart(Number(pid)) === start;
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
  removeDeadAttempts(file, (pid) => processStart(pid) !== undefined);
  const me = `${process.pid} ${processStart(process.pid) ?? ''}\n`;
  for (;;) {
    mkdirPrivate(dir); // the last holder's release may have removed it
    if (tryLinkLock(file, me)) return { release: () => release(dir, file), recovered };
    const holder = lockContent(file);
    if (holder !== undefined && !alive(holder) && takeOver(file, holder)) recovered = true;
    else if (Date.now() > deadline)
      throw new RuntimeError(
        `project lock ${file}: held by another gantry command (${holder?.trim() ?? 'just released'})`,
      );
    else await new Promise((r) => setTimeout(r, 50));
  }
}
