// Two services must not publish the same host port: same protocol, overlapping port ranges,
// and host IPs that can collide (equal, or either one the wildcard address).
import type { Project, ServicePortConfig } from './model.ts';
import type { KeyPath, RawProject } from './raw.ts';
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

export function checkPorts(project: Project, raw: RawProject, fail: (path: KeyPath, detail: string) => never): void {
  const seen: Published[] = [];
  for (const [name, svc] of Object.entries(project.services)) {
    const mine: Published[] = [];
    svc.ports.forEach((p, i) => {
      const pub = published(name, rawIndex(raw, name, svc.ports, i), p);
      if (!pub) return;
      const other = seen.find((o) => collides(o, pub));
      if (other) {
        const port = pub.from === pub.to ? String(pub.from) : `${pub.from}-${pub.to}`;
        fail(
          ['services', name, 'ports', pub.index],
          `host port ${port}/${pub.protocol} is already published by service "${other.service}"`,
        );
      }
      mine.push(pub);
    });
    seen.push(...mine);
  }
}

function published(service: string, index: number, p: ServicePortConfig): Published | undefined {
  if (p.published === undefined) return undefined;
  const [from, to = from] = p.published.split('-').map(Number) as [number, number?];
  if (from === 0) return undefined; // port 0: the kernel picks one
  return { service, index, from, to, ip: p.host_ip ?? '', protocol: p.protocol };
}

// A short range entry expands to several model ports; the raw list still has one entry. Count
// back: the raw index is the i-th model port's entry when expansions are matched by order.
function rawIndex(raw: RawProject, service: string, ports: readonly ServicePortConfig[], i: number): number {
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
