// The executor's one seam to the supervisor (src/supervisor): what a plan's run tells that
// separate process, and when. These are not plan ops because they change nothing a plan
// describes (containers, networks, volumes); each is a notice whose worth is its moment
// relative to the ops, so the executor gives them here instead of commands timing them:
// - prewarm, when a plan starts something: the supervisor's Node start takes 0.2–0.3 s, spent
//   while the plan creates instead of after it (1 service `up -d` 610 → 488 ms with the bundled
//   supervisor, bench/RESULTS.md, 2026-12-02); an `up` that builds nothing prewarms before it
//   resolves images and plans, and ends it if it fails before its plan runs (see beforeResolve);
// - stopped by the user, before the first signal: otherwise its restart policy could restart a
//   container between our stop and the mark (Docker's rule, `unless-stopped` included);
// - down's stop of the supervisor, signalled before the containers' stops, its release (sockets
//   and watches closed) awaited before any other op, so its exit overlaps them (1-service down:
//   see bench/RESULTS.md, "down21" and "down20");
// - announce, after a start: dependents waiting for health need the supervisor to know it;
// - and before the start of a container whose name lookups are per asker (several networks,
//   links, its own dns servers): Docker answers those from the moment it connects, so the
//   supervisor must hold them before the program's first query, not after it noticed the start.
import type { Plan, PlanOp } from '../../plan/index.ts';
import { beginStopSupervisor, endWarm, prewarmSupervisor, type Stopping } from '../../supervisor/index.ts';
import type { EngineContext } from '../context.ts';
import { noteStarted, supervisorHoldsContainer, syncSupervision } from '../supervision/sync-supervision.ts';
import { markStoppedByUser } from '../supervision/user-stopped.ts';

export interface SupervisorNotice {
  /** Containers the user stops or kills (stop, restart, kill, rm -s): marked before any op runs. */
  readonly stoppedByUser?: readonly string[];
  /**
   * down: the supervisor's release (its sockets and watches closed), already signalled. Stops run
   * meanwhile (their containers are in stoppedByUser); every other op waits for it, as a removed
   * network must no longer carry the supervisor's DNS socket on its gateway nor a removed
   * container its watches.
   */
  readonly supervisorReleased?: Promise<void>;
}

export function beforePlan(ctx: EngineContext, plan: Plan, n: SupervisorNotice): void {
  if (n.stoppedByUser?.length) markStoppedByUser(ctx.projectDir, n.stoppedByUser);
  if (plan.ops.some((op) => op.kind === 'start')) prewarmSupervisor(ctx.projectDir);
}

/**
 * up, before its images are resolved: a live supervisor is kept; otherwise one is started now, as
 * beforePlan would, unless a service builds (a build's minutes would outlast the warm wait). Why:
 * the supervisor's apply was the last wait of a 1-service `up -d`, and images, observe and planning
 * took 15–60 ms of its wall at load 9 (bench/RESULTS.md, "up10"). Returns the undo for a failure
 * before the plan runs: a warm supervisor with no set would otherwise wait a minute for one.
 */
export function beforeResolve(ctx: EngineContext, services: readonly string[]): () => Promise<void> {
  if (services.some((s) => ctx.project.services[s]?.build !== undefined)) return () => Promise.resolve();
  prewarmSupervisor(ctx.projectDir);
  return () => endWarm(ctx.projectDir);
}

/**
 * down: its stops marked stopped by the user first, then the supervisor signalled; `released`
 * (for supervisorReleased) resolves once its sockets are closed, `gone` once it exited.
 */
export function stopSupervisorFor(ctx: EngineContext, plan: Plan): Stopping {
  markStoppedByUser(
    ctx.projectDir,
    plan.ops.filter((op) => op.kind === 'stop').map((op) => op.target),
  );
  const stopping = beginStopSupervisor(ctx.projectDir);
  // awaited later, by the ops and the command: not an unhandled rejection meanwhile
  for (const p of [stopping.released, stopping.gone]) p.catch(() => undefined);
  return stopping;
}

/** Before each op: see supervisorReleased. */
export function beforeOp(op: PlanOp, n: SupervisorNotice): Promise<void> | undefined {
  return op.kind === 'stop' ? undefined : n.supervisorReleased;
}

/** Before a start op: see the header; other containers start without waiting for the supervisor. */
export function beforeStart(ctx: EngineContext, service: string): Promise<void> {
  const s = ctx.project.services[service];
  if (!s) return Promise.resolve();
  const perAsker = Object.keys(s.networks ?? {}).length > 1 || s.refs.links.length > 0 || (s.dns?.length ?? 0) > 0;
  return perAsker ? syncSupervision(ctx) : Promise.resolve();
}

/**
 * After a start op. Dependents that wait for its health (or its exit, which a restart policy
 * decides) need the supervisor to know it before they are checked; plain service_started
 * dependents do not, so they start without waiting for the supervisor. The command's closing
 * sync waits for every announcement.
 */
export function afterStart(
  ctx: EngineContext,
  service: string,
  container: string,
  labels: Readonly<Record<string, string>>,
): Promise<void> {
  noteStarted(ctx); // a set read before this start does not hold it (the closing sync's settle)
  const watched = Object.values(ctx.project.services).some((s) => {
    const d = s.depends_on[service];
    return d !== undefined && d.condition !== 'service_started';
  });
  if (watched) return syncSupervision(ctx);
  // Nobody waits: a container the applied set holds needs nothing (the supervisor's poll sees it
  // run); otherwise only a set that changed (a container new to it) is applied now.
  if (supervisorHoldsContainer(ctx, container, labels)) return Promise.resolve();
  const sync = syncSupervision(ctx, 'ifChanged');
  sync.catch(() => undefined); // a failure is reported by the closing sync, which runs again
  return Promise.resolve();
}
