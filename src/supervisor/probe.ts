// One healthcheck probe: the test command exec'd in the container with the container's own env,
// cwd and user, killed at the timeout (exit code -1, as Docker reports a timed-out probe), and the
// turn of the event loop each probe waits for before its spawn.
import type { Runtime } from '../runtime/index.ts';
import type { HealthProbe } from './contract.ts';

/** Docker keeps the last 4096 bytes of a probe's output in the health log; gantry holds no more. */
const MAX_OUTPUT = 4096;

let turns: Promise<void> = Promise.resolve();

/**
 * Resolves at the next free turn of the event loop: one probe spawn per turn, a poll between two.
 * A spawn blocks the supervisor until the child has exec'd (libuv forks the whole process: 25-30 ms
 * each at load 8), and the probes of a set started together fall due together: a 60-container set's
 * ran back to back in one timers phase, so a reload's SIGHUP (`up`'s closing sync), DNS queries and
 * port traffic waited behind all of them: 60 running containers with the busybox image's 1 s
 * healthcheck, a reload took 0.74-2.2 s (17-170 ms without the healthcheck); one spawn per turn,
 * 36-108 ms (load 10; issue 20, bench/RESULTS.md "many12").
 */
export function probeTurn(): Promise<void> {
  // An immediate queued while the check phase runs waits for the next turn: the chain spaces them.
  const mine = turns.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
  turns = mine;
  return mine;
}

/** undefined when the container is not running (no probe happened). */
export async function runProbe(
  rt: Runtime,
  id: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<HealthProbe | undefined> {
  const start = new Date().toISOString();
  let proc;
  try {
    proc = rt.spec(id).process;
  } catch {
    return undefined;
  }
  try {
    const spec = { args, env: proc.env, cwd: proc.cwd, ...(proc.user ? { user: proc.user } : {}) };
    const r = await rt.exec(id, spec, { timeoutMs, maxOutput: MAX_OUTPUT });
    const output = r.timedOut
      ? `Health check exceeded timeout (${timeoutMs} ms)`
      : (r.stdout + r.stderr).slice(-MAX_OUTPUT);
    return { start, end: new Date().toISOString(), exitCode: r.timedOut ? -1 : r.exitCode, output };
  } catch (e) {
    if (!isRunning(rt, id)) return undefined;
    return { start, end: new Date().toISOString(), exitCode: -1, output: (e as Error).message.slice(-MAX_OUTPUT) };
  }
}

function isRunning(rt: Runtime, id: string): boolean {
  try {
    return rt.state(id).status === 'running';
  } catch {
    return false; // removed meanwhile
  }
}
