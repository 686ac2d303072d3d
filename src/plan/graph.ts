// The service dependency graph: depends_on plus the implicit edges Compose adds
// (network_mode service:x, volumes_from service, links). Cycles are an error naming the loop.
import type { Project, ServiceConfig } from '../project/model.ts';
import { ConfigError } from '../common/errors.ts';
import { byCodeUnit } from '../common/compare.ts';

export interface Edge {
  readonly to: string; // the dependency
  readonly why: 'depends_on' | 'network_mode' | 'volumes_from' | 'links';
}

export type Graph = ReadonlyMap<string, readonly Edge[]>;

function implicitEdges(svc: ServiceConfig): Edge[] {
  const out: Edge[] = [];
  const { refs } = svc;
  if (refs.network_mode?.kind === 'service') out.push({ to: refs.network_mode.name, why: 'network_mode' });
  for (const v of refs.volumes_from) if (v.kind === 'service') out.push({ to: v.name, why: 'volumes_from' });
  for (const l of refs.links) out.push({ to: l.service, why: 'links' });
  return out;
}

/** Edges to services that are not in the project (disabled by profile, required: false) are dropped. */
export function buildGraph(project: Project): Graph {
  const g = new Map<string, Edge[]>();
  for (const [name, svc] of Object.entries(project.services)) {
    const edges: Edge[] = Object.keys(svc.depends_on).map((to) => ({ to, why: 'depends_on' as const }));
    // Kept even when depends_on names the same service: the reason decides what waits (create vs start).
    for (const e of implicitEdges(svc)) if (!edges.some((x) => x.to === e.to && x.why === e.why)) edges.push(e);
    g.set(
      name,
      edges.filter((e) => e.to in project.services),
    );
  }
  assertAcyclic(g);
  return g;
}

function assertAcyclic(g: Graph): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): void => {
    if (state.get(n) === 'done') return;
    if (state.get(n) === 'visiting') {
      const loop = [...stack.slice(stack.indexOf(n)), n].join(' → ');
      throw new ConfigError(`dependency cycle: ${loop}`, { keyPath: `services.${n}.depends_on` });
    }
    state.set(n, 'visiting');
    stack.push(n);
    for (const e of g.get(n) ?? []) visit(e.to);
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of [...g.keys()].sort()) visit(n);
}

/** The services named plus everything they depend on, transitively (unless noDeps). */
export function withDependencies(g: Graph, services: readonly string[], noDeps = false): readonly string[] {
  const out = new Set<string>();
  const add = (n: string): void => {
    if (out.has(n)) return;
    out.add(n);
    if (!noDeps) for (const e of g.get(n) ?? []) add(e.to);
  };
  for (const s of services) add(s);
  return [...out].sort();
}

/**
 * `restart`'s set, as Compose's: the services named plus, transitively, the services that declare
 * `depends_on: {X: {restart: true}}` on one of them (unless noDeps). Dependencies are never added:
 * restarting a web app must not bounce its database.
 */
export function withRestartDependents(
  project: Project,
  services: readonly string[],
  noDeps = false,
): readonly string[] {
  const out = new Set<string>(services);
  for (let grew = !noDeps; grew;) {
    grew = false;
    for (const [name, svc] of Object.entries(project.services)) {
      if (out.has(name) || !Object.entries(svc.depends_on).some(([to, d]) => d.restart && out.has(to))) continue;
      out.add(name);
      grew = true;
    }
  }
  return [...out].sort();
}

/** The services plus those that join their network namespace (network_mode service:X), transitively. */
export function withNetworkJoiners(g: Graph, services: readonly string[]): readonly string[] {
  const out = new Set<string>(services);
  for (let grew = true; grew;) {
    grew = false;
    for (const [name, edges] of g) {
      if (out.has(name) || !edges.some((e) => e.why === 'network_mode' && out.has(e.to))) continue;
      out.add(name);
      grew = true;
    }
  }
  return [...out].sort();
}

/** Services in start order (dependencies first), ties by name so output is stable. */
export function startOrder(g: Graph, only?: readonly string[]): readonly string[] {
  const keep = new Set(only ?? g.keys());
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (n: string): void => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const e of [...(g.get(n) ?? [])].sort((a, b) => byCodeUnit(a.to, b.to))) visit(e.to);
    if (keep.has(n)) out.push(n);
  };
  for (const n of [...g.keys()].sort()) visit(n);
  return out;
}
