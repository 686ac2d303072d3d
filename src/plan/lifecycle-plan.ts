// start / stop / restart / kill / rm / pause / unpause as plans: the project's (not `run`'s)
// containers of the chosen services, one op each, ordered by the service graph (dependencies
// start first and stop last). Pure, like reconcile: what `--dry-run` prints is what then runs.
import type { Project } from '../project/model.ts';
import type { Observed, ObservedContainer } from './observed.ts';
import { opId, type OpKind, type Plan, type PlanOp } from './plan.ts';
import { buildGraph, type Graph } from './graph.ts';
import { orphansOf } from './reconcile.ts';
import { byCodeUnit } from '../common/compare.ts';

const live = (c: ObservedContainer): boolean => c.status === 'running';

/** The services' own containers (no oneoffs), by name. `services` is already checked and non-empty. */
function containersOf(observed: Observed, services: readonly string[]): readonly ObservedContainer[] {
  const wanted = new Set(services);
  return observed.containers
    .filter((c) => !c.oneOff && wanted.has(c.service))
    .sort((a, b) => byCodeUnit(a.name, b.name));
}

const dependsOn = (g: Graph, a: string, b: string): boolean => (g.get(a) ?? []).some((e) => e.to === b);

/** One op per container; reverse: dependents go first (stop), else dependencies first (start). */
function ordered(
  g: Graph,
  kind: OpKind,
  cs: readonly ObservedContainer[],
  reverse: boolean,
  cause: string,
  after: readonly string[] = [],
): PlanOp[] {
  return cs.map((c) => ({
    id: opId(kind, c.name),
    kind,
    target: c.name,
    service: c.service,
    number: c.number,
    cause,
    deps: [
      ...after,
      ...cs
        .filter((o) => (reverse ? dependsOn(g, o.service, c.service) : dependsOn(g, c.service, o.service)))
        .map((o) => opId(kind, o.name)),
    ],
  }));
}

const plan = (project: Project, ops: readonly PlanOp[]): Plan => ({ project: project.name, ops });

/** Running (or paused) containers, dependents first; removes nothing. */
export function planStop(project: Project, observed: Observed, services: readonly string[], cause = 'stop'): Plan {
  return plan(
    project,
    ordered(buildGraph(project), 'stop', containersOf(observed, services).filter(live), true, cause),
  );
}

/** Containers that exist but do not run, dependencies first. */
export function planStart(project: Project, observed: Observed, services: readonly string[]): Plan {
  const cs = containersOf(observed, services).filter((c) => !live(c));
  return plan(project, ordered(buildGraph(project), 'start', cs, false, 'start'));
}

/** Every running one stops (dependents first), then every container starts (dependencies first). */
export function planRestart(project: Project, observed: Observed, services: readonly string[]): Plan {
  const g = buildGraph(project);
  const cs = containersOf(observed, services);
  const stops = ordered(g, 'stop', cs.filter(live), true, 'restart');
  return plan(project, [
    ...stops,
    ...ordered(
      g,
      'start',
      cs,
      false,
      'restart',
      stops.map((o) => o.id),
    ),
  ]);
}

/** A signal to each running container; with removeOrphans, orphans are removed once the kills are done. */
export function planKill(
  project: Project,
  observed: Observed,
  services: readonly string[],
  signal: string,
  removeOrphans = false,
): Plan {
  const kills: PlanOp[] = containersOf(observed, services)
    .filter(live)
    .map((c) => ({
      id: opId('kill', c.name),
      kind: 'kill',
      target: c.name,
      service: c.service,
      number: c.number,
      cause: 'kill',
      signal,
      deps: [],
    }));
  const orphans = removeOrphans ? orphansOf(project, observed) : [];
  const removes: PlanOp[] = orphans.map((c) => ({
    id: opId('remove', c.name),
    kind: 'remove',
    target: c.name,
    service: c.service,
    number: c.number,
    cause: 'orphan',
    deps: kills.map((k) => k.id),
  }));
  return plan(project, [...kills, ...removes]);
}

/** Stopped containers are removed; with stop (-s) the running ones are stopped first and removed too. */
export function planRm(project: Project, observed: Observed, services: readonly string[], stop = false): Plan {
  const cs = containersOf(observed, services);
  const stops = stop ? ordered(buildGraph(project), 'stop', cs.filter(live), true, 'rm -s') : [];
  const removes: PlanOp[] = cs
    .filter((c) => stop || !live(c))
    .map((c) => ({
      id: opId('remove', c.name),
      kind: 'remove',
      target: c.name,
      service: c.service,
      number: c.number,
      cause: 'rm',
      deps: live(c) ? [opId('stop', c.name)] : [],
    }));
  return plan(project, [...stops, ...removes]);
}

/** pause freezes running containers, unpause thaws paused ones; either leaves the others alone. */
export function planPause(project: Project, observed: Observed, services: readonly string[], paused: boolean): Plan {
  const kind = paused ? 'pause' : 'unpause';
  const cs = containersOf(observed, services).filter((c) => live(c) && (c.paused === true) !== paused);
  return plan(
    project,
    cs.map((c) => ({
      id: opId(kind, c.name),
      kind,
      target: c.name,
      service: c.service,
      number: c.number,
      cause: kind,
      deps: [],
    })),
  );
}
