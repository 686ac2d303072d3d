// Where a service refers to something by name, and how to point at that reference in the
// files: the raw document keeps the form the user wrote (list index or map key), so the
// position of a reference is found there.
import type { Project, ServiceConfig } from './model.ts';
import type { KeyPath, RawProject } from './raw.ts';
import { isDict } from './normalize/context.ts';

export interface Ref {
  readonly kind: 'network' | 'volume' | 'secret' | 'config' | 'service';
  readonly name: string;
  readonly attribute: string; // depends_on, links, …
}

/** Every name `svc` refers to, by attribute. */
export function referencesOf(svc: ServiceConfig): Ref[] {
  const refs: Ref[] = [];
  const add = (kind: Ref['kind'], attribute: string, name: string): void => void refs.push({ kind, name, attribute });
  for (const n of Object.keys(svc.networks ?? {})) add('network', 'networks', n);
  for (const v of svc.volumes) if (v.type === 'volume' && v.source !== undefined) add('volume', 'volumes', v.source);
  for (const s of svc.secrets ?? []) add('secret', 'secrets', s.source);
  for (const c of svc.configs ?? []) add('config', 'configs', c.source);
  for (const l of svc.links ?? []) add('service', 'links', l.split(':')[0]!);
  for (const v of svc.volumes_from ?? [])
    if (!v.startsWith('container:')) add('service', 'volumes_from', v.replace(/^service:/, '').split(':')[0]!);
  for (const k of ['network_mode', 'ipc', 'pid'] as const) {
    const v = svc[k];
    if (v?.startsWith('service:')) add('service', k, v.slice('service:'.length));
  }
  // Last: depends_on also holds the implicit dependencies of the attributes above (as Compose's
  // model does), and an error belongs at the attribute the user wrote.
  for (const n of Object.keys(svc.depends_on)) add('service', 'depends_on', n);
  return refs;
}

/** The services `svc` needs started first (the edges of the dependency graph). */
export const dependenciesOf = (svc: ServiceConfig): string[] => [
  ...new Set(
    referencesOf(svc)
      .filter((r) => r.kind === 'service')
      .map((r) => r.name),
  ),
];

/** Key path of the reference to `name` inside `services.<svc>.<attribute>`, as written. */
export function refPath(raw: RawProject, service: string, attribute: string, name: string): KeyPath {
  const base = ['services', service, attribute];
  const svc = isDict(raw.data.services) ? raw.data.services[service] : undefined;
  const v = isDict(svc) ? svc[attribute] : undefined;
  if (isDict(v)) return Object.hasOwn(v, name) ? [...base, name] : base;
  if (!Array.isArray(v)) return base;
  const i = v.findIndex((e) => {
    const s = isDict(e) ? String(e.source ?? '') : String(e);
    const ref = s.replace(/^service:/, '');
    return ref === name || ref.startsWith(`${name}:`);
  });
  return i < 0 ? base : [...base, i];
}

export function isDefined(project: Project, ref: Ref): boolean {
  const table = {
    network: project.networks,
    volume: project.volumes,
    secret: project.secrets,
    config: project.configs,
    service: project.services,
  }[ref.kind];
  return Object.hasOwn(table, ref.name);
}
