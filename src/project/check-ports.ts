// Two services publishing the same host port: same protocol, overlapping port ranges, and host
// IPs that can collide (equal, or either one the wildcard address). As in Compose, the file is
// valid (services may never run together, profiles or `up a` / `up b`): `config` warns, and
// `up` fails only when it would start both.
import { ConfigError } from '../common/errors.ts';
import type { Project, ServicePortConfig } from './model.ts';
import { formatKeyPath, type RawProject } from './raw.ts';
import { isDict } from './normalize/context.ts';

interface Published {
  readonly service: string;
  readonly index: number; // in the raw `ports` list, for the position
  readonly from: number;
  readonly to: number;
  readonly ip: string;
  readonly protocol: string;
}

const WILDCARDS = new Set(['', '0.0.0.0', '::']);
const collides = (a: Published, b: Published): boolean =>
  a.protocol === b.protocol &&
  a.from <= b.to &&
  b.from <= a.to &&
  (a.ip === b.ip || WILDCARDS.has(a.ip) || WILDCARDS.has(b.ip));

interface Clash {
  readonly service: string;
  readonly index: number; // in the model's ports
  readonly port: string; // 8080/tcp, 8000-8010/tcp
  readonly other: string;
}

function clashes(project: Pick<Project, 'services'>, only?: readonly string[]): Clash[] {
  const seen: Published[] = [];
  const out: Clash[] = [];
  for (const [name, svc] of Object.entries(project.services)) {
    if (only && !only.includes(name)) continue;
    const mine: Published[] = [];
    svc.ports.forEach((p, i) => {
      const pub = published(name, i, p);
      if (!pub) return;
      const other = seen.find((o) => collides(o, pub));
      const port = `${pub.from === pub.to ? pub.from : `${pub.from}-${pub.to}`}/${pub.protocol}`;
      if (other) out.push({ service: name, index: i, port, other: other.service });
      mine.push(pub);
    });
    seen.push(...mine);
  }
  return out;
}

/** `config`'s warnings, one per clashing entry, at its index in the file's `ports` list. */
export function portWarnings(project: Pick<Project, 'services'>, raw: RawProject): string[] {
  return clashes(project).map((c) => {
    const at = formatKeyPath(['services', c.service, 'ports', rawIndex(raw, c.service, project, c.index)]);
    return `${at}: host port ${c.port} is also published by service "${c.other}"; up of both fails`;
  });
}

/** For `up`: the services it starts must not publish one host port twice. */
export function requireFreePorts(project: Pick<Project, 'services'>, services: readonly string[]): void {
  const c = clashes(project, services)[0];
  if (c)
    throw new ConfigError(`host port ${c.port} is already published by service "${c.other}"`, {
      keyPath: `services.${c.service}.ports`,
    });
}

function published(service: string, index: number, p: ServicePortConfig): Published | undefined {
  if (p.published === undefined) return undefined;
  const [from, to = from] = p.published.split('-').map(Number) as [number, number?];
  if (from === 0) return undefined; // port 0: the kernel picks one
  return { service, index, from, to, ip: p.host_ip ?? '', protocol: p.protocol };
}

// A short range entry expands to several model ports; the raw list still has one entry. Count
// back: the raw index is the i-th model port's entry when expansions are matched by order.
function rawIndex(raw: RawProject, service: string, project: Pick<Project, 'services'>, i: number): number {
  const ports = project.services[service]!.ports;
  const svc = isDict(raw.data.services) ? raw.data.services[service] : undefined;
  const list = isDict(svc) && Array.isArray(svc.ports) ? svc.ports : [];
  if (list.length === ports.length) return i;
  let n = 0;
  for (let r = 0; r < list.length; r++) {
    n += expandedCount(list[r]);
    if (i < n) return r;
  }
  return i;
}

function expandedCount(e: unknown): number {
  if (isDict(e) || typeof e === 'number') return 1;
  const spec = String(e).split('/')[0]!;
  const target = spec.slice(spec.lastIndexOf(':') + 1);
  const m = /^(\d+)-(\d+)$/.exec(target);
  return m ? Number(m[2]) - Number(m[1]) + 1 : 1;
}
