// `up`: resolve images, observe, choose ports, plan, execute the plan unchanged; a failure stops
// what this run made and keeps it (stopped) for `logs`, as Compose does; `down` removes it.
import {
  orphansOf,
  reconcile,
  withDependencies,
  withNetworkJoiners,
  buildGraph,
  type Observed,
  type Plan,
  type PlanOp,
  type UpOptions,
} from '../../plan/index.ts';
import type { LocalImage } from '../../image/index.ts';
import { requireSupported } from '../../project/unsupported.ts';
import { requireFreePorts } from '../../project/check-ports.ts';
import { withScale } from '../../project/container-names.ts';
import { checkpoint } from '../ops/checkpoint.ts';
import type { EngineContext } from '../context.ts';
import { runPlan } from '../ops/run-plan.ts';
import { observe } from '../ops/observe.ts';
import { checkFileSources } from '../ops/file-mounts.ts';
import { resolvePorts } from '../ops/choose-host-ports.ts';
import { resolveImages } from '../ops/resolve-images.ts';
import { buildService } from './build-images.ts';
import { syncSupervision } from '../supervision/sync-supervision.ts';
import { removeVolume } from '../ops/volumes.ts';
import { waitRunning } from '../ops/wait-until-ready.ts';
import { beforeResolve } from '../ops/supervisor-seam.ts';

/** `gantry up` flags as options. */
export interface UpRequest extends UpOptions {
  readonly pull?: 'always' | 'missing' | 'never';
  /** up --build: build every selected service that has a build section first. */
  readonly build?: boolean;
  /** Step lines of builds (`#N … CACHED|DONE`). */
  readonly buildLog?: (line: string) => void;
  readonly dryRun?: boolean;
  /** Wait until every container runs (and is healthy when it has a healthcheck). */
  readonly wait?: boolean;
  readonly signal?: AbortSignal;
  readonly concurrency?: number;
}

/**
 * After a failure: the containers this run made are stopped but kept, as Compose keeps them, so
 * `logs` and `ps -a` show why it failed and `down` removes them; with no container kept, the
 * networks and volumes this run made go again.
 */
async function undo(ctx: EngineContext, ops: readonly PlanOp[], done: ReadonlySet<string>): Promise<void> {
  const made = ops.filter((o) => done.has(o.id)).reverse();
  const containers = made.filter((o) => o.kind === 'create-container' || o.kind === 'recreate');
  await Promise.all(containers.map((op) => ctx.runtime.stop(op.target, { timeoutMs: 2_000 }).catch(() => undefined)));
  if (containers.length > 0) return;
  for (const op of made.filter((o) => o.kind === 'create-network'))
    await ctx.nets.removeNetwork(op.target).catch(() => undefined);
  for (const op of made.filter((o) => o.kind === 'create-volume')) removeVolume(ctx.root, op.target);
}

export interface ApplyOptions {
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
}

/**
 * How many ops of an up-like plan run at once. Attaches that wait for the network lock share one
 * lock turn (network/endpoints.ts), so this bounds a batch: at 16 the creates of a 60-service `up`
 * took 7–10 lock turns, each a record write and a fork of the CLI for the `ip` launcher; at 64,
 * 2 (strace counts, bench/RESULTS.md "slope20"). The ops are waits on files and child processes:
 * the thread pool queues what is beyond its own four.
 */
const UP_CONCURRENCY = 64;

/**
 * Runs an up-like plan (up, scale, run) unchanged; a failure stops what it made (see undo). The
 * supervisor hears of it through the executor's seam (supervisor-seam.ts), and the final set at the end.
 */
export async function applyPlan(ctx: EngineContext, plan: Plan, o: ApplyOptions): Promise<void> {
  const done = new Set<string>();
  try {
    await runPlan(ctx, plan, {
      limit: o.concurrency ?? UP_CONCURRENCY,
      done,
      ...(o.signal ? { signal: o.signal } : {}),
    });
  } catch (e) {
    await undo(ctx, plan.ops, done);
    await syncSupervision(ctx).catch(() => undefined);
    throw e;
  }
  await syncSupervision(ctx, 'settle');
}

/** Images (built or pulled) of the services, before planning. */
export function imagesFor(
  ctx: EngineContext,
  services: readonly string[],
  req: UpRequest,
): Promise<Map<string, LocalImage>> {
  const memo = new Map<string, Promise<LocalImage>>();
  const build = (name: string) =>
    buildService(ctx, name, {
      memo,
      ...(req.buildLog ? { log: req.buildLog } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
    });
  return resolveImages(ctx.images, ctx.project, services, {
    ...(req.pull ? { pull: req.pull } : {}),
    emit: ctx.emit,
    ...(req.signal ? { signal: req.signal } : {}),
    build,
    forceBuild: req.build ?? false,
  });
}

interface Resolved {
  readonly ctx: EngineContext;
  readonly plan: Plan;
  readonly observed: Observed;
}

/** Images, what exists, host ports, then the plan: everything up decides before it changes anything. */
async function resolveAndPlan(noDeps: EngineContext, touched: readonly string[], req: UpRequest): Promise<Resolved> {
  const images = await imagesFor(noDeps, touched, req);
  await checkpoint(req.signal, 'up');
  const observed = await observe(noDeps);
  const ctx: EngineContext = { ...noDeps, imageOf: images };
  // Random host ports are chosen now, so the plan (and --dry-run) shows the ones the run publishes.
  const ports = await resolvePorts(noDeps, touched, observed);
  await checkpoint(req.signal, 'up');
  const plan = reconcile(
    { project: ctx.project, imageIds: Object.fromEntries([...images].map(([k, v]) => [k, v.id])), ports },
    observed,
    req,
  );
  await checkpoint(req.signal, 'up');
  return { ctx, plan, observed };
}

export async function up(given: EngineContext, req: UpRequest): Promise<Plan> {
  // --scale is applied to the model first: replica counts and container names are the model's.
  const base: EngineContext = { ...given, project: withScale(given.project, req.scale) };
  const noDeps: EngineContext = req.noDeps ? { ...base, noDeps: true } : base;
  const all = Object.keys(base.project.services);
  const graph = buildGraph(base.project);
  const selected = withDependencies(graph, req.services?.length ? req.services : all, req.noDeps);
  // A recreated service's network_mode joiners are recreated too: their images and ports must be at hand.
  const touched = withNetworkJoiners(graph, selected);
  requireSupported(base.project, touched);
  requireFreePorts(base.project, touched);
  checkFileSources(base.project, touched);
  const unwarm = req.dryRun ? undefined : beforeResolve(noDeps, touched);
  let resolved: Resolved;
  try {
    resolved = await resolveAndPlan(noDeps, touched, req);
  } catch (e) {
    await unwarm?.().catch(() => undefined);
    throw e;
  }
  const { ctx, plan, observed } = resolved;
  if (req.dryRun) return plan;
  if (!req.removeOrphans) {
    const orphans = orphansOf(ctx.project, observed);
    if (orphans.length > 0)
      ctx.emit({
        kind: 'warning',
        message: `orphan containers (${orphans.map((o) => o.name).join(', ')}): run with --remove-orphans to remove them`,
      });
  }
  await applyPlan(ctx, plan, {
    ...(req.concurrency ? { concurrency: req.concurrency } : {}),
    ...(req.signal ? { signal: req.signal } : {}),
  });
  if (req.wait) await waitRunning(ctx, selected, req.signal);
  return plan;
}
