// desired Project × Observed × options → Plan. A container is recreated only when its config
// hash or image changed (or --force-recreate); running, unchanged containers are left alone.
import type { Project } from '../project/model.ts';
import { serviceHash } from '../project/hash.ts';
import type { Observed, ObservedContainer } from './observed.ts';
import { opId, type Plan, type PlanOp, type PlannedPort } from './plan.ts';
import { buildGraph, startOrder, withDependencies, type Edge, type Graph } from './graph.ts';
import { managedNetworks, managedVolumes, serviceNetworks, serviceVolumes } from './resources.ts';
import { withScale } from '../project/container-names.ts';

export interface UpOptions {
  readonly services?: readonly string[]; // empty/absent: all
  readonly noDeps?: boolean;
  readonly forceRecreate?: boolean;
  readonly noRecreate?: boolean;
  readonly removeOrphans?: boolean;
  readonly noStart?: boolean;
  /** Replicas per service (--scale), applied to the model by project's withScale. */
  readonly scale?: Readonly<Record<string, number>>;
}

export interface Desired {
  readonly project: Project;
  /** Resolved image id per service (resolved before planning). */
  readonly imageIds: Readonly<Record<string, string>>;
  /** Host ports per container name, chosen before planning; the ops that make a container carry them. */
  readonly ports?: ReadonlyMap<string, readonly PlannedPort[]>;
}

/** The ports a container made under `name` publishes, as an op field. */
export const portsOf = (d: Desired, name: string): { ports?: readonly PlannedPort[] } => {
  const ports = d.ports?.get(name);
  return ports && ports.length > 0 ? { ports } : {};
};

// --force-recreate forces the services named (all when none is), never their dependencies: those
// are recreated only when they changed, as Compose's default --always-recreate-deps=false.
const forced = (o: UpOptions, svc: string): boolean =>
  o.forceRecreate === true && (!o.services?.length || o.services.includes(svc));

function recreateCause(d: Desired, c: ObservedContainer, hash: string, o: UpOptions): string | undefined {
  if (forced(o, c.service)) return 'forced recreate';
  if (o.noRecreate) return undefined;
  if (c.configHash !== hash) return 'config hash changed';
  const img = d.imageIds[c.service];
  if (img !== undefined && c.imageId !== img) return 'image updated';
  return undefined;
}

interface Builder {
  readonly ops: PlanOp[];
  add(op: PlanOp): void;
  has(id: string): boolean;
  /** Ids of the ops of `svc` of one kind, in the order added. */
  ofService(svc: string, kind: PlanOp['kind']): readonly string[];
}

/** Indexed by id and by service: planning --scale a=20000 must not search the op list per op. */
function builder(): Builder {
  const ops: PlanOp[] = [];
  const ids = new Set<string>();
  const bySvc = new Map<string, string[]>();
  return {
    ops,
    add: (op) => {
      ops.push(op);
      ids.add(op.id);
      const key = `${op.service ?? ''}\0${op.kind}`;
      const list = bySvc.get(key);
      if (list) list.push(op.id);
      else bySvc.set(key, [op.id]);
    },
    has: (id) => ids.has(id),
    ofService: (svc, kind) => bySvc.get(`${svc}\0${kind}`) ?? [],
  };
}

/** Ops of the containers of `svc` that start or create; later services' ops wait for them. */
const serviceOps = (b: Builder, svc: string, kinds: readonly PlanOp['kind'][]): string[] =>
  kinds.flatMap((k) => b.ofService(svc, k));

function planService(b: Builder, d: Desired, g: Graph, observed: Observed, svcName: string, o: UpOptions): void {
  const { project } = d;
  const svc = project.services[svcName]!;
  const hash = serviceHash(svc, project);
  const names = svc.container_names;
  const want = names.length;
  const mine = observed.containers
    .filter((c) => c.service === svcName && !c.oneOff)
    .sort((a, b2) => a.number - b2.number);
  const byNumber = new Map(mine.map((c) => [c.number, c]));
  const res = [
    ...serviceNetworks(svc).map((k) => opId('create-network', project.networks[k]?.name ?? k)),
    ...serviceVolumes(project, svc).map((k) => opId('create-volume', project.volumes[k]!.name)),
  ].filter((id) => b.has(id));
  const edges = g.get(svcName) ?? [];
  // network_mode service:x and volumes_from need x's container to exist before this one is made.
  const createDeps = [
    ...new Set(
      edges
        .filter((e) => e.why === 'network_mode' || e.why === 'volumes_from')
        .flatMap((e) => serviceOps(b, e.to, ['start'])),
    ),
  ];
  const startDeps = [...new Set(edges.flatMap((e) => serviceOps(b, e.to, ['start'])))];
  const restartedBy = Object.entries(svc.depends_on)
    .filter(([d, x]) => x.restart && serviceOps(b, d, ['recreate']).length > 0)
    .map(([d]) => d);
  for (let n = 1; n <= want; n++) {
    const name = names[n - 1]!;
    const c = byNumber.get(n);
    const base = { target: name, service: svcName, number: n };
    if (!c) {
      b.add({
        ...base,
        ...portsOf(d, name),
        id: opId('create-container', name),
        kind: 'create-container',
        cause: 'missing',
        deps: [...res, ...createDeps],
      });
      if (!o.noStart)
        b.add({
          ...base,
          id: opId('start', name),
          kind: 'start',
          cause: 'created',
          deps: [opId('create-container', name), ...startDeps],
        });
      continue;
    }
    const why = joinedRecreated(b, edges) ?? recreateCause(d, c, hash, o);
    if (why) {
      b.add({
        ...base,
        ...portsOf(d, name),
        id: opId('recreate', name),
        kind: 'recreate',
        cause: why,
        deps: [...res, ...createDeps],
      });
      if (!o.noStart)
        b.add({
          ...base,
          id: opId('start', name),
          kind: 'start',
          cause: 'recreated',
          deps: [opId('recreate', name), ...startDeps],
        });
    } else if (c.status !== 'running' && !o.noStart) {
      b.add({ ...base, id: opId('start', name), kind: 'start', cause: 'not running', deps: startDeps });
    } else if (restartedBy.length > 0 && !o.noStart) {
      // depends_on restart: true — a recreated dependency restarts this running container.
      const cause = `dependency ${restartedBy.join(', ')} recreated`;
      b.add({ ...base, id: opId('stop', name), kind: 'stop', cause, deps: [] });
      b.add({ ...base, id: opId('start', name), kind: 'start', cause, deps: [opId('stop', name), ...startDeps] });
    }
  }
  for (const c of mine.filter((x) => x.number > want)) removeContainer(b, c, `scale ${mine.length} → ${want}`);
}

/** network_mode service:X joins X's namespace: a new X container leaves the old one's behind. */
function joinedRecreated(b: Builder, edges: readonly Edge[]): string | undefined {
  const x = edges.find((e) => e.why === 'network_mode' && serviceOps(b, e.to, ['recreate']).length > 0);
  return x ? `network_mode service:${x.to} recreated` : undefined;
}

/** Existing containers of services outside the selection that share a recreated service's network. */
function recreateNetworkJoiners(
  b: Builder,
  d: Desired,
  g: Graph,
  observed: Observed,
  selected: readonly string[],
  o: UpOptions,
): void {
  const done = new Set(selected);
  for (const svc of startOrder(g)) {
    if (done.has(svc)) continue;
    const why = joinedRecreated(b, g.get(svc) ?? []);
    if (!why) continue;
    done.add(svc);
    const startDeps = [...new Set((g.get(svc) ?? []).flatMap((e) => serviceOps(b, e.to, ['start'])))];
    for (const c of observed.containers.filter((x) => x.service === svc && !x.oneOff)) {
      const base = { target: c.name, service: svc, number: c.number };
      b.add({
        ...base,
        ...portsOf(d, c.name),
        id: opId('recreate', c.name),
        kind: 'recreate',
        cause: why,
        deps: startDeps,
      });
      if (!o.noStart && c.status === 'running')
        b.add({
          ...base,
          id: opId('start', c.name),
          kind: 'start',
          cause: 'recreated',
          deps: [opId('recreate', c.name), ...startDeps],
        });
    }
  }
}

function removeContainer(b: Builder, c: ObservedContainer, cause: string): void {
  const base = { target: c.name, service: c.service, number: c.number, cause };
  if (c.status === 'running') b.add({ ...base, id: opId('stop', c.name), kind: 'stop', deps: [] });
  b.add({
    ...base,
    id: opId('remove', c.name),
    kind: 'remove',
    deps: c.status === 'running' ? [opId('stop', c.name)] : [],
  });
}

export function reconcile(given: Desired, observed: Observed, o: UpOptions = {}): Plan {
  // --scale gives the replica counts and with them the container names (a no-op when the engine
  // scaled the project already).
  const d = { ...given, project: withScale(given.project, o.scale) };
  const { project } = d;
  const g = buildGraph(project);
  const all = Object.keys(project.services);
  const selected = withDependencies(g, o.services && o.services.length > 0 ? o.services : all, o.noDeps);
  const b = builder();
  for (const [, id] of [...managedNetworks(project, selected)].sort()) {
    if (!observed.networks.includes(id))
      b.add({ id: opId('create-network', id), kind: 'create-network', target: id, cause: 'missing', deps: [] });
  }
  for (const [, name] of [...managedVolumes(project, selected)].sort()) {
    if (!observed.volumes.includes(name))
      b.add({ id: opId('create-volume', name), kind: 'create-volume', target: name, cause: 'missing', deps: [] });
  }
  // Dependencies first, so a service's ops can point at its dependencies' ops.
  const order = (function topo(): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    const chosen = new Set(selected);
    const visit = (n: string): void => {
      if (seen.has(n)) return;
      seen.add(n);
      for (const e of g.get(n) ?? []) if (chosen.has(e.to)) visit(e.to);
      out.push(n);
    };
    selected.forEach(visit);
    return out;
  })();
  for (const s of order) planService(b, d, g, observed, s, o);
  recreateNetworkJoiners(b, d, g, observed, selected, o);
  if (o.removeOrphans) {
    for (const c of orphansOf(project, observed)) removeContainer(b, c, 'orphan');
  }
  return { project: project.name, ops: b.ops };
}

/**
 * Compose's orphans: containers of services the project no longer has, and `run` containers that
 * have exited. A running oneoff is somebody's live session: `up` never takes it down. A service of
 * an inactive profile is still the project's: its containers are not orphans.
 */
export function orphansOf(project: Project, observed: Observed): readonly ObservedContainer[] {
  const known = (s: string): boolean => s in project.services || project.disabledServices.includes(s);
  return observed.containers.filter((c) => (c.oneOff ? c.status === 'exited' : !known(c.service)));
}
