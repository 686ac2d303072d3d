// A service's `networks`: a list of names or a map of name → null | attachment options. With
// neither `networks` nor `network_mode`, a service joins the project's `default` network.
import type { ServiceNetwork } from '../model.ts';
import type { KeyPath } from '../raw.ts';
import {
  asInt,
  asString,
  configError,
  defined,
  isDict,
  stringList,
  stringMap,
  type NormalizeContext,
} from './context.ts';

export function normalizeServiceNetworks(
  ctx: NormalizeContext,
  path: KeyPath,
  v: unknown,
): Record<string, ServiceNetwork | null> {
  const out: Record<string, ServiceNetwork | null> = {};
  if (Array.isArray(v)) {
    v.forEach((e, i) => (out[asString(ctx, [...path, i], e)] = null));
    return out;
  }
  if (!isDict(v)) throw configError(ctx, path, 'must be a list of networks or a mapping');
  for (const [name, e] of Object.entries(v))
    out[name] = e === null || e === undefined ? null : attachment(ctx, [...path, name], e);
  return out;
}

function attachment(ctx: NormalizeContext, path: KeyPath, e: unknown): ServiceNetwork | null {
  if (!isDict(e)) throw configError(ctx, path, 'must be a mapping or null');
  const str = (k: string): string | undefined => (e[k] === undefined ? undefined : asString(ctx, [...path, k], e[k]));
  const net = defined<ServiceNetwork>({
    aliases: e.aliases === undefined ? undefined : stringList(ctx, [...path, 'aliases'], e.aliases),
    ipv4_address: str('ipv4_address'),
    ipv6_address: str('ipv6_address'),
    link_local_ips:
      e.link_local_ips === undefined ? undefined : stringList(ctx, [...path, 'link_local_ips'], e.link_local_ips),
    interface_name: str('interface_name'),
    mac_address: str('mac_address'),
    priority: e.priority === undefined ? undefined : asInt(ctx, [...path, 'priority'], e.priority),
    gw_priority: e.gw_priority === undefined ? undefined : asInt(ctx, [...path, 'gw_priority'], e.gw_priority),
    driver_opts: e.driver_opts === undefined ? undefined : stringMap(ctx, [...path, 'driver_opts'], e.driver_opts),
  });
  // An empty mapping says no more than null does; one form keeps the model canonical.
  return Object.keys(net).length === 0 ? null : net;
}
