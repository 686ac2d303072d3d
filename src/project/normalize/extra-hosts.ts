// `extra_hosts`: `host=ip` or `host:ip` entries, or a map of host → ip or list of ips, into
// one {host, ip} per line of /etc/hosts, in order. `[v6]` brackets are dropped.
import type { ExtraHost } from '../model.ts';
import type { KeyPath } from '../raw.ts';
import { asString, configError, isDict, type NormalizeContext } from './context.ts';

export function normalizeExtraHosts(ctx: NormalizeContext, path: KeyPath, v: unknown): ExtraHost[] {
  const strip = (ip: string): string => (ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip);
  if (isDict(v)) {
    return Object.entries(v).flatMap(([host, ips]) => {
      const list = Array.isArray(ips) ? ips : [ips];
      return list.map((ip, i) => ({
        host,
        ip: strip(asString(ctx, Array.isArray(ips) ? [...path, host, i] : [...path, host], ip)),
      }));
    });
  }
  if (!Array.isArray(v)) throw configError(ctx, path, 'must be a list or a mapping');
  return v.map((e, i) => {
    const s = asString(ctx, [...path, i], e);
    const eq = s.indexOf('=');
    const at = eq >= 0 ? eq : s.indexOf(':');
    if (at <= 0 || at === s.length - 1) throw configError(ctx, [...path, i], `invalid extra host "${s}" (HOST=IP)`);
    return { host: s.slice(0, at), ip: strip(s.slice(at + 1)) };
  });
}
