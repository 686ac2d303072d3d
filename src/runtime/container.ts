// The container status machine: created → running (⇄ paused) → exited, derived from the stored
// state, the shim's status file and a pid + start-time check (never trust a bare pid: pids are reused).
import { readFileSync } from 'node:fs';
import { parseOomKills } from './cgroups/index.ts';
import { readExit, type ContainerPaths, type StoredState } from './state.ts';

export type Status = 'created' | 'running' | 'paused' | 'exited';

export interface ContainerState {
  readonly id: string;
  readonly status: Status;
  readonly pid: number | undefined;
  readonly created: string;
  readonly started: string | undefined;
  readonly finished: string | undefined;
  readonly exitCode: number | undefined;
  readonly oomKilled: boolean;
  readonly labels: Readonly<Record<string, string>>;
  readonly rootfs: readonly string[];
  readonly args: readonly string[];
}

/** Field 22 of /proc/PID/stat (start time), or undefined when the process is gone or a zombie. */
/** "pid start-time" of this process: names it across pid reuse (spec.autoRemove, locks). */
export const selfStamp = (): string => `${process.pid} ${processStart(process.pid) ?? ''}`;

/** A "pid start-time" stamp (selfStamp) whose process is gone (or is another one by now). */
export function stampGone(stamp: string): boolean {
  const [pid, start] = stamp.split(' ');
  return processStart(Number(pid)) !== start;
}

export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may hold spaces and parens: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // a zombie has exited: if its shim died, nobody may ever reap it
    return fields[0] === 'Z' ? undefined : fields[19];
  } catch {
    return undefined;
  }
}

export function isAlive(s: StoredState): boolean {
  return s.pid !== undefined && s.pidStart !== undefined && processStart(s.pid) === s.pidStart;
}

/** The shim outlives PID 1 by the moment it takes to drain pipes and write the status file. */
function shimAlive(s: StoredState): boolean {
  return s.shimPid !== undefined && s.shimStart !== undefined && processStart(s.shimPid) === s.shimStart;
}

function oomKilled(p: ContainerPaths): boolean {
  try {
    return parseOomKills(readFileSync(p.oom, 'utf8')) > 0;
  } catch {
    return false;
  }
}

export function deriveState(s: StoredState, p: ContainerPaths): ContainerState {
  let exit = readExit(p);
  const alive = !exit && (isAlive(s) || shimAlive(s));
  // The shim writes the status file before it exits: having seen it gone, read once more.
  if (!exit && !alive) exit = readExit(p);
  const status: Status = s.pid === undefined ? 'created' : alive ? (s.paused ? 'paused' : 'running') : 'exited';
  return {
    id: s.id,
    status,
    pid: status === 'running' || status === 'paused' ? s.pid : undefined,
    created: s.created,
    started: s.started,
    finished: exit && Number.isFinite(exit.finished) ? new Date(exit.finished).toISOString() : undefined,
    // No status file but a dead pid: the shim itself was killed; the code is unknown.
    exitCode: status !== 'exited' ? undefined : exit ? exit.exitCode : -1,
    oomKilled: status === 'exited' && oomKilled(p),
    labels: s.spec.labels ?? {},
    rootfs: s.spec.rootfs.layers,
    args: s.spec.process.args,
  };
}
