// `run` as a plan: the service's dependencies brought up as `up` would (unless noDeps), the
// networks and volumes the service needs that do not exist yet, then the oneoff container
// created and started. Pure; the oneoff's name is chosen before planning.
import { buildGraph, withDependencies } from './graph.ts';
import type { Observed } from './observed.ts';
import { opId, type Plan, type PlanOp } from './plan.ts';
import { portsOf, reconcile, type Desired } from './reconcile.ts';
import { managedNetworks, managedVolumes } from './resources.ts';

export interface RunPlanOptions {
  readonly service: string;
  /** The oneoff's container name. */
  readonly name: string;
  readonly noDeps?: boolean;
}

export function planRun(d: Desired, observed: Observed, o: RunPlanOptions): Plan {
  const { project } = d;
  const deps = withDependencies(buildGraph(project), [o.service]).filter((s) => s !== o.service);
  const ops: PlanOp[] = !o.noDeps && deps.length > 0 ? [...reconcile(d, observed, { services: deps }).ops] : [];
  const ids = new Set(ops.map((op) => op.id));
  const need = (kind: 'create-network' | 'create-volume', target: string, exists: boolean): void => {
    const id = opId(kind, target);
    if (!exists && !ids.has(id)) ops.push({ id, kind, target, cause: 'missing', deps: [] });
  };
  for (const [, id] of [...managedNetworks(project, [o.service])].sort())
    need('create-network', id, observed.networks.includes(id));
  for (const [, name] of [...managedVolumes(project, [o.service])].sort())
    need('create-volume', name, observed.volumes.includes(name));
  // The oneoff is made once everything else is done, as `run` after `up` would.
  const before = ops.map((op) => op.id);
  const base = { target: o.name, service: o.service, number: 1, cause: 'run', oneOff: true };
  ops.push({
    ...base,
    ...portsOf(d, o.name),
    id: opId('create-container', o.name),
    kind: 'create-container',
    deps: before,
  });
  ops.push({ ...base, id: opId('start', o.name), kind: 'start', deps: [opId('create-container', o.name)] });
  return { project: project.name, ops };
}
