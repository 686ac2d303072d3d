// The engine's handle on a project's supervisor: start it detached (or make the live one reload)
// and return once the current supervision set is applied — DNS answering, ports bound; stop it
// and return once its sockets are released; read a container's health file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeError } from '../common/errors.ts';
import type { HealthState, SupervisionSet } from './contract.ts';
import { supervisorFileChanges, type FileChanges } from './file-changes.ts';
import {
  filesOf,
  livePid,
  readJson,
  readSet,
  runningPid,
  startTimeOf,
  type Applied,
  type SupervisorFiles,
} from './files.ts';
import { spawnSupervisor } from './spawn.ts';

const WAIT_MS = 15_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const logTail = (f: SupervisorFiles): string => {
  try {
    return readFileSync(f.log, 'utf8').trim().split('\n').slice(-3).join(' | ');
  } catch {
    return '';
  }
};

/** Supervisors this process started ahead of their first set (prewarmSupervisor), by project dir. */
const warm = new Map<string, { readonly pid: number; readonly start: string | undefined }>();

function warmPid(projectDir: string): number | undefined {
  const w = warm.get(projectDir);
  if (w && w.start !== undefined && startTimeOf(w.pid) === w.start) return w.pid;
  warm.delete(projectDir);
  return undefined;
}

/**
 * Starts the project's supervisor process now, before it has anything to supervise: its Node
 * start takes 0.2–0.3 s, which `up` spends creating networks and containers meanwhile instead of
 * waiting for it at the end. Started with --warm, it waits for a non-empty set (up to a minute)
 * instead of exiting on an empty one; ensureSupervisor then adopts it.
 */
export function prewarmSupervisor(projectDir: string): void {
  const f = filesOf(projectDir);
  if (livePid(f) !== undefined || warmPid(projectDir) !== undefined) return;
  const pid = spawnSupervisor(f, true);
  if (pid > 0) warm.set(projectDir, { pid, start: startTimeOf(pid) });
}

/** A prewarmed supervisor that is not wanted after all (the set stayed empty, or the up failed before its plan ran). */
export async function endWarm(projectDir: string): Promise<void> {
  const pid = warmPid(projectDir);
  warm.delete(projectDir);
  if (pid !== undefined) await terminate(pid);
}

export async function ensureSupervisor(projectDir: string): Promise<void> {
  const f = filesOf(projectDir);
  const set = readSet(f);
  const live = livePid(f);
  const pre = warmPid(projectDir);
  if (!set || set.containers.length === 0) {
    if (live !== undefined) await stopSupervisor(projectDir);
    await endWarm(projectDir);
    return;
  }
  // Watched before the SIGHUP: no change between it and the first look is missed.
  const changes = supervisorFileChanges(f.dir);
  try {
    await waitApplied(projectDir, f, set, live, pre, changes);
  } finally {
    changes.close();
  }
}

async function waitApplied(
  projectDir: string,
  f: SupervisorFiles,
  set: SupervisionSet,
  live: number | undefined,
  warmed: number | undefined,
  changes: FileChanges,
): Promise<void> {
  let pre = warmed;
  // A prewarmed one not yet alive in the pid file counts as spawned: starting another would race it.
  let spawned: number | undefined = live === undefined ? pre : undefined;
  const signalled = new Set<number>();
  if (live !== undefined) {
    process.kill(live, 'SIGHUP');
    signalled.add(live);
  }
  const until = Date.now() + WAIT_MS;
  for (;;) {
    const pid = livePid(f);
    // None alive (or the signalled one exited meanwhile, e.g. it had just been told the set was empty).
    if (pid === undefined && spawned === undefined) spawned = spawnSupervisor(f);
    if (pid !== undefined && pid === pre) {
      warm.delete(projectDir); // adopted: an ordinary supervisor from now on
      // It may have read the set before this one was written: tell it to read again (its SIGHUP
      // handler is in place before its pid file exists).
      if (!signalled.has(pid)) {
        process.kill(pid, 'SIGHUP');
        signalled.add(pid);
      }
    }
    const a = readJson<Applied>(f.applied);
    if (pid !== undefined && a?.pid === pid && a.generation >= set.generation) {
      if (a.error) throw new RuntimeError(`project ${set.project}: supervisor: ${a.error}`);
      return;
    }
    if (spawned !== undefined && pid === undefined && startTimeOf(spawned) === undefined) {
      if (spawned === pre) {
        // It gave up waiting (or lost the pid file to another): start an ordinary one.
        spawned = pre = undefined;
        warm.delete(projectDir);
        continue;
      }
      throw new RuntimeError(`project ${set.project}: the supervisor exited at start (${f.log}: ${logTail(f)})`);
    }
    if (Date.now() > until)
      throw new RuntimeError(
        `project ${set.project}: the supervisor did not apply generation ${set.generation} within ${WAIT_MS / 1000} s (see ${f.log})`,
      );
    await changes.next();
  }
}

/**
 * Whether the project's live supervisor has applied generation (or a later one) without error:
 * a set written again unchanged need not be re-applied, it sees starts and exits itself (state-events.ts).
 * Asked at every start of an `up`: the marker first (an older generation needs no /proc), then one
 * stat read of the pid it names (runningPid: a supervisor whose main thread is gone holds nothing).
 */
export function supervisorHolds(projectDir: string, generation: number): boolean {
  const f = filesOf(projectDir);
  const a = readJson<Applied>(f.applied);
  if (a === undefined || a.generation < generation || a.error !== undefined) return false;
  return runningPid(f) === a.pid;
}

export async function stopSupervisor(projectDir: string): Promise<void> {
  await beginStopSupervisor(projectDir).gone;
}

/** A supervisor told to stop: `released` once its sockets and watches are closed, `gone` once it exited. */
export interface Stopping {
  readonly released: Promise<void>;
  readonly gone: Promise<void>;
}

/**
 * Sends SIGTERM now (before returning), so a caller can overlap the supervisor's exit with other
 * work: `down` stops its containers meanwhile, having marked them stopped by the user so that a
 * supervisor still alive never restarts them (it re-reads that mark before every restart). Its
 * other ops wait for `released` only: the supervisor gives up its pid file after closing every
 * socket and watch (main.ts), and the rest of its exit (Node's teardown, its worker threads joined
 * one by one) took 40–70 ms more under load (bench/RESULTS.md, "Issue 20, down20"); down still
 * waits for `gone` before it returns.
 */
export function beginStopSupervisor(projectDir: string): Stopping {
  const f = filesOf(projectDir);
  const pid = livePid(f);
  if (pid === undefined) return { released: Promise.resolve(), gone: Promise.resolve() };
  let release = (): void => undefined;
  const released = new Promise<void>((r) => (release = r));
  const gone = terminate(pid, () => {
    if (livePid(f) !== pid) release();
  }).finally(release);
  return { released, gone };
}

/** SIGTERM, then SIGKILL after WAIT_MS; `poll` between looks; returns once the process is gone. */
async function terminate(pid: number, poll: () => void = () => undefined): Promise<void> {
  const start = startTimeOf(pid);
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return; // gone since livePid read its pid file
  }
  const until = Date.now() + WAIT_MS;
  // Its sockets close when the process is gone; a reused pid has another start time.
  while (startTimeOf(pid) === start && start !== undefined) {
    poll();
    if (Date.now() > until) {
      process.kill(pid, 'SIGKILL');
      await sleep(50);
      if (startTimeOf(pid) !== start) break;
    }
    await sleep(10);
  }
}

export function readHealth(projectDir: string, containerId: string): HealthState | undefined {
  return readJson<HealthState>(join(filesOf(projectDir).health, `${containerId}.json`));
}
