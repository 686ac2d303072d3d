// `ports`: short syntax `[[HOST_IP:]PUBLISHED:]TARGET[/PROTOCOL]` (ranges, `[v6]` host IPs) and
// the long syntax, both into ServicePortConfig. A target range expands to one entry per port
// (paired with an equal-length published range); one target with a published range keeps the
// range, for the engine to pick from — as Docker's port-spec parser does.
import { isIP } from 'node:net';
import type { ServicePortConfig } from '../model.ts';
import type { KeyPath } from '../raw.ts';
import { asInt, asString, configError, defined, isDict, type NormalizeContext } from './context.ts';

const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);
const MODES = new Set(['ingress', 'host']);

export function normalizePorts(ctx: NormalizeContext, path: KeyPath, v: unknown): ServicePortConfig[] {
  if (!Array.isArray(v)) throw configError(ctx, path, 'must be a list');
  return v.flatMap((entry, i) =>
    isDict(entry) ? [longPort(ctx, [...path, i], entry)] : shortPort(ctx, [...path, i], entry),
  );
}

function longPort(ctx: NormalizeContext, path: KeyPath, e: Record<string, unknown>): ServicePortConfig {
  const target = port(ctx, [...path, 'target'], e.target);
  const protocol = e.protocol === undefined ? 'tcp' : asString(ctx, [...path, 'protocol'], e.protocol).toLowerCase();
  const mode = e.mode === undefined ? 'ingress' : asString(ctx, [...path, 'mode'], e.mode);
  if (!PROTOCOLS.has(protocol))
    throw configError(ctx, [...path, 'protocol'], `unknown protocol "${protocol}" (tcp, udp or sctp)`);
  if (!MODES.has(mode)) throw configError(ctx, [...path, 'mode'], `unknown mode "${mode}" (ingress or host)`);
  const published =
    e.published === undefined || e.published === null || e.published === ''
      ? undefined
      : asString(ctx, [...path, 'published'], e.published);
  if (published !== undefined) range(ctx, [...path, 'published'], published);
  return defined<ServicePortConfig>({
    name: e.name === undefined ? undefined : asString(ctx, [...path, 'name'], e.name),
    target,
    published,
    host_ip: e.host_ip === undefined ? undefined : hostIp(ctx, [...path, 'host_ip'], e.host_ip),
    protocol: protocol as ServicePortConfig['protocol'],
    mode: mode as ServicePortConfig['mode'],
    app_protocol: e.app_protocol === undefined ? undefined : asString(ctx, [...path, 'app_protocol'], e.app_protocol),
  });
}

function shortPort(ctx: NormalizeContext, path: KeyPath, v: unknown): ServicePortConfig[] {
  const text = asString(ctx, path, v).trim();
  const slash = text.lastIndexOf('/');
  const protocol = slash < 0 ? 'tcp' : text.slice(slash + 1).toLowerCase();
  if (!PROTOCOLS.has(protocol)) throw configError(ctx, path, `unknown protocol "${protocol}" in port "${text}"`);
  const spec = slash < 0 ? text : text.slice(0, slash);
  const { hostIp, published, target } = splitSpec(ctx, path, spec, text);
  // `"80:80:80:80"` is not host IP `80:80`: Docker's port parser wants an address there.
  if (hostIp && !isIP(hostIp)) throw configError(ctx, path, `invalid IP address: ${hostIp}`);
  const [t0, t1] = range(ctx, path, target);
  const base = {
    protocol: protocol as ServicePortConfig['protocol'],
    mode: 'ingress' as const,
    ...(hostIp ? { host_ip: hostIp } : {}),
  };
  if (published === undefined || published === '') return each(t0, t1, (t) => ({ target: t, ...base }));
  const [p0, p1] = range(ctx, path, published);
  if (t0 === t1) return [{ target: t0, published, ...base }];
  if (p1 - p0 !== t1 - t0) throw configError(ctx, path, `port ranges "${published}" and "${target}" differ in length`);
  return each(t0, t1, (t) => ({ target: t, published: String(p0 + t - t0), ...base }));
}

function each(from: number, to: number, f: (n: number) => ServicePortConfig): ServicePortConfig[] {
  const out: ServicePortConfig[] = [];
  for (let n = from; n <= to; n++) out.push(f(n));
  return out;
}

// HOST_IP may be `[v6]` or a bare v6 address (everything before the last two colons).
function splitSpec(
  ctx: NormalizeContext,
  path: KeyPath,
  spec: string,
  text: string,
): { hostIp?: string; published?: string; target: string } {
  if (spec.startsWith('[')) {
    const close = spec.indexOf(']');
    const rest = close < 0 ? [] : spec.slice(close + 1).split(':');
    if (close < 0 || rest.length !== 3 || rest[0] !== '') throw configError(ctx, path, `invalid port "${text}"`);
    return { hostIp: spec.slice(1, close), published: rest[1]!, target: rest[2]! };
  }
  const parts = spec.split(':');
  if (parts.length === 1) return { target: parts[0]! };
  if (parts.length === 2) return { published: parts[0]!, target: parts[1]! };
  const target = parts.pop()!;
  const published = parts.pop()!;
  return { hostIp: parts.join(':'), published, target };
}

function hostIp(ctx: NormalizeContext, path: KeyPath, v: unknown): string {
  const ip = asString(ctx, path, v);
  if (ip !== '' && !isIP(ip)) throw configError(ctx, path, `invalid ip address: ${ip}`);
  return ip;
}

/** `8080` or `8000-8010` → [from, to], each a valid port. */
export function range(ctx: NormalizeContext, path: KeyPath, text: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  const from = m ? Number(m[1]) : NaN;
  const to = m?.[2] === undefined ? from : Number(m[2]);
  if (!m || from < 0 || to > 65535 || to < from) throw configError(ctx, path, `invalid port or port range "${text}"`);
  return [from, to];
}

function port(ctx: NormalizeContext, path: KeyPath, v: unknown): number {
  const n = asInt(ctx, path, v);
  if (n < 1 || n > 65535) throw configError(ctx, path, `invalid port ${n}`);
  return n;
}
