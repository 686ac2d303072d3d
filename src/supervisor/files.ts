// Where a project's supervision files live (see contract.ts), and reading them: the
// supervision set, the pid file ("<pid> <start-time>", pid-reuse safe) and the applied marker.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SupervisionSet } from './contract.ts';
import { replaceFile } from '../common/replace-file.ts';

export interface SupervisorFiles {
  readonly dir: string;
  readonly set: string;
  readonly pid: string;
  readonly health: string;
  readonly log: string;
  /** {"generation","pid","error"?}: written by the supervisor after each reload. */
  readonly applied: string;
}

export const filesOf = (projectDir: string): SupervisorFiles => ({
  dir: projectDir,
  set: join(projectDir, 'supervision.json'),
  pid: join(projectDir, 'supervisor.pid'),
  health: join(projectDir, 'health'),
  log: join(projectDir, 'supervisor.log'),
  applied: join(projectDir, 'supervisor.applied'),
});

/** `<root>/projects/<project>` → `<root>` (stateDirs puts projects/ right under the root). */
export const stateRootOf = (projectDir: string): string => dirname(dirname(projectDir));

export function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export const readSet = (f: SupervisorFiles): SupervisionSet | undefined => readJson<SupervisionSet>(f.set);

export interface Applied {
  readonly generation: number;
  readonly pid: number;
  readonly error?: string;
}

/** State letter and start time (field 22) of /proc/PATH/stat; comm may hold spaces and parens. */
function statOf(path: string): { readonly state: string; readonly start: string | undefined } | undefined {
  try {
    const after = readFileSync(`${path}/stat`, 'utf8').split(') ').at(-1)!.split(' ');
    return { state: after[0]!, start: after[19] };
  } catch {
    return undefined;
  }
}

/** Start time of a live process (not a zombie), or undefined: one read of /proc/PID/stat. */
export function liveStartOf(pid: number): string | undefined {
  const s = statOf(`/proc/${pid}`);
  return s && s.state !== 'Z' && s.state !== 'X' ? s.start : undefined;
}

/**
 * Start time of a process that still holds its sockets, else undefined. Unlike the runtime's
 * check this waits for every thread: after SIGKILL the leader turns zombie while Node's worker
 * threads, which share its file table, are still exiting, and the ports are not free yet.
 */
export function startTimeOf(pid: number): string | undefined {
  const leader = statOf(`/proc/${pid}`);
  if (!leader) return undefined;
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  const running = tasks.some((t) => {
    const st = statOf(`/proc/${pid}/task/${t}`)?.state;
    return st !== undefined && st !== 'Z' && st !== 'X';
  });
  return running ? leader.start : undefined;
}

/** The live supervisor's pid, or undefined (no file, or a dead / reused pid). */
export function livePid(f: SupervisorFiles): number | undefined {
  return pidFileMatching(f, startTimeOf);
}

/**
 * The supervisor's pid while its main thread runs (one read of /proc/PID/stat), else undefined. For
 * asks that need no wait for its sockets: livePid also lists /proc/PID/task and reads a thread's stat,
 * two more of the 5 reads of each of the 205 asks of a 60-service `up` (strace; issue 20).
 */
export function runningPid(f: SupervisorFiles): number | undefined {
  return pidFileMatching(f, liveStartOf);
}

function pidFileMatching(f: SupervisorFiles, startOf: (pid: number) => string | undefined): number | undefined {
  let text: string;
  try {
    text = readFileSync(f.pid, 'utf8');
  } catch {
    return undefined;
  }
  const [pid, start] = text.trim().split(' ');
  const n = Number(pid);
  return Number.isInteger(n) && n > 0 && start !== undefined && startOf(n) === start ? n : undefined;
}

/** Temp file + rename: readers (ps, ensureSupervisor) never see half a file. */
export function writeAtomic(path: string, data: string): void {
  replaceFile(path, data);
}
