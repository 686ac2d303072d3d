// exec: a new process in a running container. The shim joins its pid namespace, the child joins
// the cgroups and then ipc/uts/net/mnt, and drops privileges exactly as start does (never
// `nsenter -a`, which keeps every capability).
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { ProcessSpec } from './spec.ts';
import type { RuntimeContext } from './context.ts';
import { isAlive } from './container.ts';
import { execPlan } from './start-plan.ts';
import { readReport, spawnShim } from './process/shim.ts';
import { containerError } from './errors.ts';
import { RuntimeError } from '../common/errors.ts';

export async function execProcess(ctx: RuntimeContext, id: string, proc: ProcessSpec, stdio: 'inherit' | 'pipe'): Promise<ChildProcess> {
  const { stored, paths } = ctx.load(id);
  if (!isAlive(stored)) throw new RuntimeError(`container ${id}: exec: not running`);
  const cg = await ctx.cgroup(id);
  const planFile = join(paths.dir, `exec-${randomBytes(6).toString('hex')}.plan`);
  let plan: string;
  try {
    plan = execPlan(stored.spec, proc, stored.pid!, cg, { attach: true });
  } catch (err) {
    throw containerError(id, 'exec', (err as Error).message, err);
  }
  await fs.writeFile(planFile, plan);
  const child = spawnShim(ctx.host, planFile, stdio, false);
  const report = await readReport(child);
  await fs.rm(planFile, { force: true });
  if ('error' in report) throw containerError(id, 'exec', report.error);
  return child;
}

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function execCollect(ctx: RuntimeContext, id: string, proc: ProcessSpec, input = ''): Promise<ExecResult> {
  const child = await execProcess(ctx, id, proc, 'pipe');
  let stdout = '';
  let stderr = '';
  (child.stdout as Readable).on('data', (d: Buffer) => (stdout += d.toString()));
  (child.stderr as Readable).on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin?.end(input);
  // 'close', not 'exit': the output pipes must be drained too.
  const exitCode = await new Promise<number>((resolve) => child.on('close', (code, sig) => resolve(code ?? (sig ? 128 : 125))));
  return { exitCode, stdout, stderr };
}
