// start / stop / restart / kill / rm / pause / unpause of a project's service containers, as
// Compose does them: each observes, gets its plan from plan/ (dependencies start first and stop
// last) and runs it unchanged (run-plan.ts); with dryRun the plan is returned untouched. What the
// user stops or kills is marked `stoppedByUser` before the signal (so the supervisor does not
// restart it), and every change that adds or removes running containers rewrites the supervision set.
import {
  LABELS,
  planKill,
  planPause,
  planRestart,
  planRm,
  planStart,
  planStop,
  withRestartDependents,
  type Observed,
  type Plan,
} from '../../plan/index.ts';
import { RuntimeError } from '../../common/errors.ts';
import type { ContainerState } from '../../runtime/index.ts';
import type { EngineContext } from '../context.ts';
import { observe, projectContainers } from '../ops/observe.ts';
import { runPlan } from '../ops/run-plan.ts';
import { syncSupervision } from '../supervision/sync-supervision.ts';
import { markStoppedByUser } from '../supervision/user-stopped.ts';
import { byCodeUnit } from '../../common/compare.ts';
import { removeAnonVolumes } from '../ops/anon-volumes.ts';

/** The services a lifecycle verb acts on. */
export interface LifecycleRequest {
  /** Services to act on; none = every service of the project. */
  readonly services?: readonly string[];
  readonly signal?: AbortSignal;
  /** Plan only: the plan is returned and nothing changes. */
  readonly dryRun?: boolean;
}
/** `gantry restart` flags as options. */
export interface RestartRequest extends LifecycleRequest {
  readonly noDeps?: boolean;
}
/** `gantry kill` flags as options. */
export interface KillRequest extends LifecycleRequest {
  /** Default SIGKILL, as Compose. */
  readonly signalName?: NodeJS.Signals | number;
  readonly removeOrphans?: boolean;
}
/** `gantry rm` flags as options. */
export interface RmRequest extends LifecycleRequest {
  /** Stop running containers first (-s). */
  readonly stop?: boolean;
  /** -v: the removed containers' anonymous volumes too. */
  readonly volumes?: boolean;
  /** Asked with the names about to go; false keeps them (and stops nothing). */
  readonly confirm?: (names: readonly string[]) => Promise<boolean>;
}

export function checkServices(ctx: EngineContext, services: readonly string[] | undefined): readonly string[] {
  for (const s of services ?? []) if (!(s in ctx.project.services)) throw new RuntimeError(`no such service: ${s}`);
  return services?.length ? services : Object.keys(ctx.project.services);
}

/** The project's (not one-off) containers of these services, by name. */
export async function serviceContainers(
  ctx: EngineContext,
  services: readonly string[] | undefined,
): Promise<readonly ContainerState[]> {
  const wanted = new Set(checkServices(ctx, services));
  return (await projectContainers(ctx))
    .filter((s) => s.labels[LABELS.oneOff] !== 'True' && wanted.has(s.labels[LABELS.service] ?? ''))
    .sort((a, b) => byCodeUnit(a.id, b.id));
}

/** Names of the services' own containers, running or not: what a stop by the user marks. */
function ownNames(observed: Observed, services: readonly string[]): readonly string[] {
  return observed.containers.filter((c) => !c.oneOff && services.includes(c.service)).map((c) => c.name);
}

const execute = (ctx: EngineContext, plan: Plan, req: LifecycleRequest) =>
  runPlan(ctx, plan, req.signal ? { signal: req.signal } : {});

/** Plans over what exists; unless dryRun, marks the services' containers (stop, restart) and runs the plan. */
async function planAndRun(
  ctx: EngineContext,
  req: LifecycleRequest,
  services: readonly string[],
  make: (o: Observed) => Plan,
  mark: boolean,
): Promise<Plan> {
  const observed = await observe(ctx);
  const plan = make(observed);
  if (req.dryRun) return plan;
  if (mark) markStoppedByUser(ctx.projectDir, ownNames(observed, services));
  await execute(ctx, plan, req);
  return plan;
}

/** Marks, then stops (dependents first); removes nothing. An exited one waiting for its restart stays exited. */
export function stopServices(ctx: EngineContext, req: LifecycleRequest): Promise<Plan> {
  const services = checkServices(ctx, req.services);
  return planAndRun(ctx, req, services, (o) => planStop(ctx.project, o, services), true);
}

/** The 'start' op waits for depends_on conditions, starts, and syncs the supervisor (which drops the mark). */
export function startServices(ctx: EngineContext, req: LifecycleRequest): Promise<Plan> {
  const services = checkServices(ctx, req.services);
  return planAndRun(
    ctx,
    req,
    services,
    (o) => {
      if (ownNames(o, services).length > 0) return planStart(ctx.project, o, services);
      throw new RuntimeError(
        `service${req.services?.length === 1 ? '' : 's'} ${services.join(', ')}: no containers to start (run up first)`,
      );
    },
    false,
  );
}

export function restartServices(ctx: EngineContext, req: RestartRequest): Promise<Plan> {
  const services = withRestartDependents(ctx.project, checkServices(ctx, req.services), req.noDeps);
  return planAndRun(ctx, req, services, (o) => planRestart(ctx.project, o, services), true);
}

/** Signals only reach running containers; the terminating ones count as a stop by the user. */
export async function killServices(ctx: EngineContext, req: KillRequest): Promise<Plan> {
  const sig = req.signalName ?? 'SIGKILL';
  const observed = await observe(ctx);
  const plan = planKill(ctx.project, observed, checkServices(ctx, req.services), String(sig), req.removeOrphans);
  if (req.dryRun) return plan;
  const kills = plan.ops.filter((op) => op.kind === 'kill').map((op) => op.target);
  const stopsIt = (id: string) => ['SIGKILL', 9, 'SIGTERM', 15, ctx.runtime.spec(id).stopSignal].includes(sig);
  markStoppedByUser(ctx.projectDir, kills.filter(stopsIt));
  const failures = await runPlan(ctx, plan, {
    limit: 64,
    keepGoing: true,
    ...(req.signal ? { signal: req.signal } : {}),
  });
  if (plan.ops.some((op) => op.kind === 'remove')) await syncSupervision(ctx);
  if (failures.length > 0) throw new RuntimeError(failures[0]!);
  return plan;
}

/** Removes the stopped containers (with `stop`, the running ones too, after stopping them). */
export async function removeServices(ctx: EngineContext, req: RmRequest): Promise<Plan> {
  const services = checkServices(ctx, req.services);
  const observed = await observe(ctx);
  const plan = planRm(ctx.project, observed, services, req.stop);
  const names = plan.ops.filter((op) => op.kind === 'remove').map((op) => op.target);
  if (req.dryRun || names.length === 0) return plan;
  if (req.confirm && !(await req.confirm(names))) return { project: plan.project, ops: [] };
  if (req.stop) markStoppedByUser(ctx.projectDir, ownNames(observed, services));
  await execute(ctx, plan, req);
  if (req.volumes) removeAnonVolumes(ctx.root, ctx.project.name, names);
  await syncSupervision(ctx);
  return plan;
}

/** pause (freeze) or unpause (thaw) each container of the services that is in the other state. */
export async function setPaused(ctx: EngineContext, req: LifecycleRequest, paused: boolean): Promise<Plan> {
  const plan = planPause(ctx.project, await observe(ctx), checkServices(ctx, req.services), paused);
  if (plan.ops.length === 0 && req.services?.length) {
    throw new RuntimeError(
      `${paused ? 'pause' : 'unpause'}: no ${paused ? 'running' : 'paused'} container for ${req.services.join(', ')}`,
    );
  }
  if (!req.dryRun) await runPlan(ctx, plan, { limit: 64, ...(req.signal ? { signal: req.signal } : {}) });
  return plan;
}
