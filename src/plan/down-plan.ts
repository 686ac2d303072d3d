// `down` as a plan: stop dependents before their dependencies (the reverse of start order),
// remove the containers once every stop is done, then the project's networks (and, with -v, volumes).
import type { Project } from '../project/model.ts';
import type { Observed, ObservedContainer } from './observed.ts';
import { opId, type Plan, type PlanOp } from './plan.ts';
import { buildGraph } from './graph.ts';

export interface DownOptions {
  readonly volumes?: boolean;
  readonly removeOrphans?: boolean;
}

export function planDown(project: Project, observed: Observed, o: DownOptions = {}): Plan {
  const g = buildGraph(project);
  // Plain `down` takes every service's containers, those of inactive profiles too (as Compose).
  const known = (c: ObservedContainer) => c.service in project.services || project.disabledServices.includes(c.service);
  // --remove-orphans also takes down `run` containers, running or not, as Compose's down does.
  const targets = observed.containers.filter((c) => (known(c) && !c.oneOff) || o.removeOrphans);
  const ops: PlanOp[] = [];
  const baseOf = (c: ObservedContainer) => ({
    target: c.name,
    service: c.service,
    number: c.number,
    cause: known(c) && !c.oneOff ? 'down' : 'orphan',
  });
  const stopId = (c: ObservedContainer) => (c.status === 'running' ? opId('stop', c.name) : undefined);
  for (const c of targets) {
    // A dependency stops only after every running container that depends on it has stopped.
    const dependents = targets.filter((x) => (g.get(x.service) ?? []).some((e) => e.to === c.service));
    const after = dependents.map(stopId).filter((x): x is string => x !== undefined);
    if (c.status === 'running') ops.push({ ...baseOf(c), id: opId('stop', c.name), kind: 'stop', deps: after });
  }
  // Removals wait for every stop and then go together: their detaches and namespace deletes then
  // share one network lock turn and one `ip` batch instead of one per stop round (a stopped
  // container needs nothing of the others to be removed). Measured in bench/RESULTS.md, "removals
  // together" (2026-12-01).
  const stops = ops.map((x) => x.id);
  for (const c of targets) {
    ops.push({ ...baseOf(c), id: opId('remove', c.name), kind: 'remove', deps: stops });
  }
  const removes = ops.filter((x) => x.kind === 'remove').map((x) => x.id);
  for (const net of Object.values(project.networks).filter((n) => !n.external && observed.networks.includes(n.name))) {
    ops.push({
      id: opId('remove-network', net.name),
      kind: 'remove-network',
      target: net.name,
      cause: 'down',
      deps: removes,
    });
  }
  if (o.volumes) {
    for (const vol of Object.values(project.volumes).filter((v) => !v.external && observed.volumes.includes(v.name))) {
      ops.push({
        id: opId('remove-volume', vol.name),
        kind: 'remove-volume',
        target: vol.name,
        cause: 'down -v',
        deps: removes,
      });
    }
  }
  return { project: project.name, ops };
}
