// start / stop / restart / kill / rm / pause / unpause of a project's service containers, as
// Compose does them: dependencies start first and stop last, what the user stops or kills is
// marked `stoppedByUser` before the signal (so the supervisor does not restart it), and every
// change that adds or removes running containers rewrites the supervision set.
import { buildGraph, LABELS, opId, orphansOf, withRestartDependents, type OpKind, type PlanOp } from '../plan/index.ts';
import { RuntimeError } from '../common/errors.ts';
import type { ContainerState } from '../runtime/index.ts';
import type { EngineContext } from './context.ts';
import { executePlan } from './execute.ts';
import { observe, projectContainers } from './observe.ts';
import { runOp } from './ops/index.ts';
import { syncSupervision } from './sync-supervision.ts';
import { markStoppedByUser } from './user-stopped.ts';
import { byCodeUnit } from '../common/compare.ts';

export interface LifecycleRequest {
  /** Services to act on; none = every service of the project. */
  readonly services?: readonly string[];
  readonly signal?: AbortSignal;
}
export interface RestartRequest extends LifecycleRequest {
  readonly noDeps?: boolean;
}
export interface KillRequest extends LifecycleRequest {
  /** Default SIGKILL, as Compose. */
  readonly signalName?: NodeJS.Signals | number;
  readonly removeOrphans?: boolean;
}
export interface RmRequest extends LifecycleRequest {
  /** Stop running containers first (-s). */
  readonly stop?: boolean;
  /** -v: anonymous volumes; gantry creates none yet (they are refused at `up`), so nothing to do. */
  readonly volumes?: boolean;
  /** Asked with the names about to go; false keeps them. */
  readonly confirm?: (names: readonly string[]) => Promise<boolean>;
}

const live = (s: ContainerState): boolean => s.status === 'running' || s.status === 'paused';

export function checkServices(ctx: EngineContext, services: readonly string[] | undefined): readonly string[] {
  for (const s of services ?? []) if (!(s in ctx.project.services)) throw new RuntimeError(`no such service: ${s}`);
  return services?.length ? services : Object.keys(ctx.project.services);
}

/** The project's (not one-off) containers of these services, by name. */
export async function serviceContainers(ctx: EngineContext, services: readonly string[] | undefined): Promise<readonly ContainerState[]> {
  const wanted = new Set(checkServices(ctx, services));
  return (await projectContainers(ctx))
    .filter((s) => s.labels[LABELS.oneOff] !== 'True' && wanted.has(s.labels[LABELS.service] ?? ''))
    .sort((a, b) => byCodeUnit(a.id, b.id));
}

/** One op per container, ordered by the service graph: dependencies first, or (reverse) dependents first. */
function ordered(ctx: EngineContext, kind: OpKind, states: readonly ContainerState[], reverse: boolean, cause: string): PlanOp[] {
  const g = buildGraph(ctx.project);
  const svc = (s: ContainerState) => s.labels[LABELS.service] ?? '';
  const dependsOn = (a: string, b: string) => (g.get(a) ?? []).some((e) => e.to === b);
  return states.map((s) => ({
    id: opId(kind, s.id),
    kind,
    target: s.id,
    service: svc(s),
    cause,
    deps: states.filter((o) => (reverse ? dependsOn(svc(o), svc(s)) : dependsOn(svc(s), svc(o)))).map((o) => opId(kind, o.id)),
  }));
}

async function run(ctx: EngineContext, ops: readonly PlanOp[], signal?: AbortSignal): Promise<void> {
  await executePlan(ops, (op, sig) => runOp(ctx, op, sig), { limit: 8, ...(signal ? { signal } : {}) });
}

/** Marks, then stops (dependents first); removes nothing. An exited one waiting for its restart stays exited. */
export async function stopServices(ctx: EngineContext, req: LifecycleRequest): Promise<void> {
  const states = await serviceContainers(ctx, req.services);
  markStoppedByUser(ctx.projectDir, states.map((s) => s.id));
  await run(ctx, ordered(ctx, 'stop', states.filter(live), true, 'stop'), req.signal);
}

export async function startServices(ctx: EngineContext, req: LifecycleRequest): Promise<void> {
  const all = await serviceContainers(ctx, req.services);
  if (all.length === 0) throw new RuntimeError(`service${req.services?.length === 1 ? '' : 's'} ${checkServices(ctx, req.services).join(', ')}: no containers to start (run up first)`);
  // The 'start' op waits for depends_on conditions, starts, and syncs the supervisor (which drops the mark).
  await run(ctx, ordered(ctx, 'start', all.filter((s) => !live(s)), false, 'start'), req.signal);
}

export async function restartServices(ctx: EngineContext, req: RestartRequest): Promise<void> {
  const services = withRestartDependents(ctx.project, checkServices(ctx, req.services), req.noDeps);
  await stopServices(ctx, { ...req, services });
  await run(ctx, ordered(ctx, 'start', await serviceContainers(ctx, services), false, 'restart'), req.signal);
}

/** Signals only reach running containers; the terminating ones count as a stop by the user. */
export async function killServices(ctx: EngineContext, req: KillRequest): Promise<void> {
  const sig = req.signalName ?? 'SIGKILL';
  const states = (await serviceContainers(ctx, req.services)).filter(live);
  const stopsIt = (s: ContainerState) => ['SIGKILL', 9, 'SIGTERM', 15, ctx.runtime.spec(s.id).stopSignal].includes(sig);
  markStoppedByUser(ctx.projectDir, states.filter(stopsIt).map((s) => s.id));
  const failures: string[] = [];
  await Promise.all(states.map(async (s) => {
    ctx.emit({ kind: 'op-start', op: 'kill', target: s.id, cause: 'kill' });
    try {
      ctx.runtime.kill(s.id, sig);
      ctx.emit({ kind: 'op-done', op: 'kill', target: s.id, ms: 0 });
    } catch (e) {
      failures.push((e as Error).message);
      ctx.emit({ kind: 'op-failed', op: 'kill', target: s.id, error: (e as Error).message });
    }
  }));
  if (req.removeOrphans) await removeOrphans(ctx, req.signal);
  if (failures.length > 0) throw new RuntimeError(failures[0]!);
}

async function removeOrphans(ctx: EngineContext, signal?: AbortSignal): Promise<void> {
  const orphans = orphansOf(ctx.project, await observe(ctx));
  if (orphans.length === 0) return;
  await run(ctx, orphans.map((o) => ({ id: opId('remove', o.name), kind: 'remove', target: o.name, service: o.service, cause: 'orphan', deps: [] })), signal);
  await syncSupervision(ctx);
}

/** Removes the stopped containers (with `stop`, the running ones too, after stopping them). */
export async function removeServices(ctx: EngineContext, req: RmRequest): Promise<readonly string[]> {
  if (req.stop) await stopServices(ctx, req);
  const stopped = (await serviceContainers(ctx, req.services)).filter((s) => !live(s));
  if (stopped.length === 0) return [];
  if (req.confirm && !(await req.confirm(stopped.map((s) => s.id)))) return [];
  await run(ctx, stopped.map((s) => ({ id: opId('remove', s.id), kind: 'remove', target: s.id, cause: 'rm', deps: [] })), req.signal);
  await syncSupervision(ctx);
  return stopped.map((s) => s.id);
}

/** pause (freeze) or unpause (thaw) each container of the services that is in the other state. */
export async function setPaused(ctx: EngineContext, req: LifecycleRequest, paused: boolean): Promise<void> {
  const from = paused ? 'running' : 'paused';
  const op = paused ? 'pause' : 'unpause';
  const states = (await serviceContainers(ctx, req.services)).filter((s) => s.status === from);
  if (states.length === 0 && req.services?.length) throw new RuntimeError(`${op}: no ${from} container for ${req.services.join(', ')}`);
  await Promise.all(states.map(async (s) => {
    const t0 = performance.now();
    ctx.emit({ kind: 'op-start', op, target: s.id, cause: op });
    await (paused ? ctx.runtime.pause(s.id) : ctx.runtime.resume(s.id)).catch((e: unknown) => {
      ctx.emit({ kind: 'op-failed', op, target: s.id, error: (e as Error).message });
      throw e;
    });
    ctx.emit({ kind: 'op-done', op, target: s.id, ms: Math.round(performance.now() - t0) });
  }));
}
