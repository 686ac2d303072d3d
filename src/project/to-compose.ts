// Project → a compose document again (what `config` prints): long syntax, keys in Compose's
// order (name, services, networks, volumes, secrets, configs, x-*; attributes and map keys
// sorted), model units turned back into compose text where the spec wants text (durations,
// memory). Loading the result gives the same model; `$` is doubled so it survives interpolation.
import type { ExtraHost, HealthCheck, Project, ServiceConfig } from './model.ts';
import { formatDuration } from './normalize/durations.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Doc = Record<string, unknown>;

export function toComposeDocument(project: Project, opts: { escapeDollars?: boolean } = {}): Doc {
  const doc: Doc = { name: project.name, services: mapSorted(project.services, serviceDoc) };
  for (const key of ['networks', 'volumes', 'secrets', 'configs'] as const) {
    if (Object.keys(project[key]).length)
      doc[key] = mapSorted(project[key], (v) => withExtensions(v as unknown as Doc));
  }
  Object.assign(doc, project.extensions);
  for (const f of project.unsupported) putAt(doc, f.keys, f.value);
  return sortedData(doc, opts.escapeDollars !== false) as Doc;
}

// Unsupported fields go back where they were written: never dropped, not even from the output.
// Containers on the way are copied (the model is frozen); list entries keep their index, since
// normalized lists with such fields (volumes) are one entry per written entry.
function putAt(doc: Doc, keys: readonly (string | number)[], value: unknown): void {
  let cur: Record<string | number, unknown> = doc;
  keys.slice(0, -1).forEach((k) => {
    const next = cur[k];
    const copy = (
      Array.isArray(next)
        ? [...(next as unknown[])]
        : next !== null && typeof next === 'object'
          ? { ...(next as Doc) }
          : {}
    ) as Record<string | number, unknown>;
    cur[k] = copy;
    cur = copy;
  });
  cur[keys[keys.length - 1]!] = value;
}

function mapSorted<T>(rec: Readonly<Record<string, T>>, f: (v: T) => unknown): Doc {
  const out: Doc = {};
  for (const k of Object.keys(rec).sort()) out[k] = f(rec[k]!);
  return out;
}

function withExtensions(v: Doc): Doc {
  const { extensions, ...rest } = v;
  return { ...rest, ...(extensions as Doc | undefined) };
}

function serviceDoc(svc: ServiceConfig): Doc {
  const {
    name: _name,
    refs: _refs,
    container_names: _names,
    extensions,
    healthcheck,
    stop_grace_period,
    extra_hosts,
    deploy,
    ...rest
  } = svc;
  const out: Doc = { ...rest };
  for (const k of ['environment', 'depends_on'] as const) if (Object.keys(svc[k]).length === 0) delete out[k];
  for (const k of ['ports', 'volumes'] as const) if (svc[k].length === 0) delete out[k];
  if (healthcheck) out.healthcheck = healthcheckDoc(healthcheck);
  if (stop_grace_period !== undefined) out.stop_grace_period = formatDuration(stop_grace_period);
  if (extra_hosts) out.extra_hosts = extra_hosts.map((h: ExtraHost) => `${h.host}=${h.ip}`);
  if (deploy) out.deploy = deployDoc(deploy);
  return { ...out, ...extensions };
}

function healthcheckDoc(h: HealthCheck): Doc {
  const out: Doc = { ...h };
  for (const k of ['interval', 'timeout', 'start_period', 'start_interval'] as const) {
    const v = h[k];
    if (v !== undefined) out[k] = formatDuration(v);
  }
  return out;
}

// The spec types deploy memory as text ("1g"); bytes as digits are valid text.
function deployDoc(d: NonNullable<ServiceConfig['deploy']>): Doc {
  const out: Doc = { ...d };
  const r = d.resources;
  if (r) {
    const text = <T extends { memory?: number }>(l: T | undefined): Doc | undefined =>
      l && { ...l, ...(l.memory !== undefined ? { memory: String(l.memory) } : {}) };
    out.resources = {
      ...(r.limits ? { limits: text(r.limits) } : {}),
      ...(r.reservations ? { reservations: text(r.reservations) } : {}),
    };
  }
  return out;
}

/** A copy with mapping keys sorted (top level and `services` keep their given order). */
function sortedData(v: unknown, escape: boolean, depth = 0): Json {
  if (typeof v === 'string') return escape ? v.replaceAll('$', '$$$$') : v;
  if (Array.isArray(v)) return v.map((e) => sortedData(e, escape, depth + 1));
  if (v === null || typeof v !== 'object') return v as Json;
  const keys = Object.keys(v);
  const out: { [k: string]: Json } = {};
  for (const k of depth < 2 ? keys : keys.sort()) out[k] = sortedData((v as Doc)[k], escape, depth + 1);
  return out;
}
