// One healthcheck probe: the test command exec'd in the container with the container's own env,
// cwd and user, killed at the timeout (exit code -1, as Docker reports a timed-out probe).
import type { Runtime } from '../runtime/index.ts';
import type { HealthProbe } from './contract.ts';

/** Docker keeps the last 4096 bytes of a probe's output in the health log; gantry holds no more. */
const MAX_OUTPUT = 4096;

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
