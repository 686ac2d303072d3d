// exec: a new process in a running container. The shim joins its pid namespace, the child joins
// the cgroups and then ipc/uts/net/mnt, and drops privileges exactly as start does (never
// `nsenter -a`, which keeps every capability).
import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessSpec } from './spec.ts';
import { cgroupName, type RuntimeContext } from './context.ts';
import { isAlive } from './container.ts';
import { execPlan } from './start-plan.ts';
import { readReport, shimFailure, spawnShim, type ShimHandle } from './process/shim.ts';
import { containerError } from './errors.ts';
import { RuntimeError } from '../common/errors.ts';
import { recordEvent } from './record-event.ts';

let execCount = 0;

/** stdio 'ignore': detached (exec -d), the shim outlives gantry and the output is dropped. */
export async function execProcess(
  ctx: RuntimeContext,
  id: string,
  proc: ProcessSpec,
  stdio: 'inherit' | 'pipe' | 'ignore',
  outputCap?: number,
): Promise<ShimHandle & { readonly pid: number }> {
  const { stored, paths } = ctx.load(id);
  if (!isAlive(stored)) throw new RuntimeError(`container ${id}: exec: not running`);
  // Docker's rule: the new process would join a frozen cgroup and hang until unpause.
  if (stored.paused) throw new RuntimeError(`container ${id} is paused, unpause the container first`);
  const driver = await ctx.driver();
  const cg = driver.forContainer(cgroupName(ctx.containersDir, id));
  const execId = `${process.pid}-${execCount++}`;
  const planFile = join(paths.dir, `exec-${execId}.plan`);
  let plan: string;
  try {
    plan = execPlan(stored.spec, proc, stored.pid!, cg, driver.layout === 'v2', paths, {
      attach: stdio !== 'ignore',
    });
  } catch (err) {
    throw containerError(id, 'exec', (err as Error).message, err);
  }
  // Sync: a 5 KB file on the state root; fs.promises would load node:fs/promises' internals (readline,
  // streams) into every exec for these two calls (issue 20, bench/RESULTS.md "exec20").
  writeFileSync(planFile, plan, { mode: 0o600 });
  // Docker names the command in the action ("exec_start: sh -c …"); the id says which exec.
  const labels = stored.spec.labels ?? {};
  recordEvent(ctx, id, `exec_create: ${proc.args.join(' ')}`, { execID: execId }, labels);
  const shim = spawnShim(ctx.host, planFile, stdio, stdio === 'ignore', {}, outputCap);
  const report = await readReport(shim.child);
  if ('error' in report) {
    const code = await shim.exit;
    // Not found / not executable keep Docker's exit codes (127, 126), for scripts that test them.
    const err = containerError(id, 'exec', shimFailure(shim, report.error, code, `${ctx.host.shimPath} ${planFile}`));
    throw code === 126 || code === 127 ? new RuntimeError(err.message, { exitCode: code }) : err;
  }
  // Kept on failure, to rerun by hand. unlink, not rm: rmSync loads fs's rimraf module for this one
  // file (0.8–1.6 ms CPU against 0.02 at load 15, fresh process; exec20).
  try {
    unlinkSync(planFile);
  } catch {
    // already gone: nothing to tidy
  }
  recordEvent(ctx, id, `exec_start: ${proc.args.join(' ')}`, { execID: execId }, labels);
  return { ...shim, pid: report.pid };
}

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The process ran past timeoutMs and was SIGKILLed (healthchecks). */
  readonly timedOut: boolean;
}

export interface ExecOptions {
  readonly input?: string;
  readonly timeoutMs?: number;
  /** Keep only the last maxOutput bytes of stdout and of stderr (the rest is read and dropped). */
  readonly maxOutput?: number;
}

export async function execCollect(
  ctx: RuntimeContext,
  id: string,
  proc: ProcessSpec,
  o: ExecOptions = {},
): Promise<ExecResult> {
  const { child, exit, output, pid } = await execProcess(ctx, id, proc, 'pipe', o.maxOutput);
  child.stdin?.on('error', () => {}); // the process may exit before reading its input
  child.stdin?.end(o.input ?? '');
  let timedOut = false;
  const timer =
    o.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          ctx.host.kill(pid, 'SIGKILL'); // the shim's direct child: still ours while the shim waits for it
        }, o.timeoutMs);
  const exitCode = await exit;
  clearTimeout(timer);
  return { exitCode, ...output, timedOut };
}
