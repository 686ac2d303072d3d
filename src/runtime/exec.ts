// exec: a new process in a running container. The shim joins its pid namespace, the child joins
// the cgroups and then ipc/uts/net/mnt, and drops privileges exactly as start does (never
// `nsenter -a`, which keeps every capability).
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { ProcessSpec } from './spec.ts';
import { cgroupName, type RuntimeContext } from './context.ts';
import { isAlive } from './container.ts';
import { execPlan } from './start-plan.ts';
import { readReport, SHIM_GONE, shimFailure, spawnShim, type ShimHandle } from './process/shim.ts';
import { containerError } from './errors.ts';
import { RuntimeError } from '../common/errors.ts';
import { recordEvent } from './record-event.ts';

let execCount = 0;

interface PreparedExec {
  readonly planFile: string;
  readonly pid: number;
  /** Removes the plan (kept on failure, to rerun by hand) and records exec_start. */
  readonly done: () => Promise<void>;
}

/** The exec's plan file, written, and its exec_create event recorded. */
async function prepareExec(ctx: RuntimeContext, id: string, proc: ProcessSpec, attach: boolean): Promise<PreparedExec> {
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
    plan = execPlan(stored.spec, proc, stored.pid!, cg, driver.layout === 'v2', paths, { attach });
  } catch (err) {
    throw containerError(id, 'exec', (err as Error).message, err);
  }
  await fs.writeFile(planFile, plan, { mode: 0o600 });
  // Docker names the command in the action ("exec_start: sh -c …"); the id says which exec.
  const labels = stored.spec.labels ?? {};
  recordEvent(ctx, id, `exec_create: ${proc.args.join(' ')}`, { execID: execId }, labels);
  const done = async (): Promise<void> => {
    await fs.rm(planFile, { force: true });
    recordEvent(ctx, id, `exec_start: ${proc.args.join(' ')}`, { execID: execId }, labels);
  };
  return { planFile, pid: stored.pid!, done };
}

/** Not found / not executable keep Docker's exit codes (127, 126), for scripts that test them. */
function execFailure(id: string, why: string, code: number): RuntimeError {
  const err = containerError(id, 'exec', why);
  return code === 126 || code === 127 ? new RuntimeError(err.message, { exitCode: code }) : err;
}

/** stdio 'ignore': detached (exec -d), the shim outlives gantry and the output is dropped. */
export async function execProcess(
  ctx: RuntimeContext,
  id: string,
  proc: ProcessSpec,
  stdio: 'inherit' | 'pipe' | 'ignore',
  outputCap?: number,
): Promise<ShimHandle & { readonly pid: number }> {
  const { planFile, done } = await prepareExec(ctx, id, proc, stdio !== 'ignore');
  const shim = spawnShim(ctx.host, planFile, stdio, stdio === 'ignore', {}, outputCap);
  const report = await readReport(shim.child);
  if ('error' in report) {
    const code = await shim.exit;
    throw execFailure(id, shimFailure(shim, report.error, code, `${ctx.host.shimPath} ${planFile}`), code);
  }
  await done();
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
  /**
   * stdout and stderr as one stream, in the order written (Docker's health log): the result's
   * stdout holds both, its stderr is empty. With maxOutput and no input it runs through the host's
   * long-lived spawner, not a fork of this process (process/probe-spawner.ts).
   */
  readonly combinedOutput?: boolean;
}

export async function execCollect(
  ctx: RuntimeContext,
  id: string,
  proc: ProcessSpec,
  o: ExecOptions = {},
): Promise<ExecResult> {
  const execTail = ctx.host.execTail;
  if (o.combinedOutput && o.input === undefined && o.maxOutput !== undefined && execTail)
    return execSpawned(ctx, id, proc, o.maxOutput, o.timeoutMs, execTail);
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
  return o.combinedOutput
    ? { exitCode, stdout: (output.stdout + output.stderr).slice(-(o.maxOutput ?? Infinity)), stderr: '', timedOut }
    : { exitCode, ...output, timedOut };
}

async function execSpawned(
  ctx: RuntimeContext,
  id: string,
  proc: ProcessSpec,
  cap: number,
  timeoutMs: number | undefined,
  execTail: NonNullable<RuntimeContext['host']['execTail']>,
): Promise<ExecResult> {
  const { planFile, done } = await prepareExec(ctx, id, proc, true);
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const r = await execTail(planFile, cap, (pid) => {
    if (timeoutMs === undefined) return;
    timer = setTimeout(() => {
      timedOut = true;
      ctx.host.kill(pid, 'SIGKILL'); // the shim's direct child: still its while the shim waits for it
    }, timeoutMs);
  });
  clearTimeout(timer);
  const out = `${planFile}.out`;
  const text = await fs.readFile(out, 'utf8').catch(() => '');
  await fs.rm(out, { force: true });
  if (r.pid === undefined) {
    const rerun = `${ctx.host.shimPath} ${planFile}`;
    const why = r.error ?? `${SHIM_GONE} (shim exit code ${r.exitCode}; run it by hand: ${rerun})`;
    throw execFailure(id, why, r.exitCode);
  }
  await done();
  return { exitCode: r.exitCode, stdout: text, stderr: '', timedOut };
}
