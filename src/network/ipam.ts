// Address management, pure: which subnet a network gets (explicit or from the pools, never
// overlapping a host route or another gantry network) and which address an endpoint gets.
import { ConfigError, RuntimeError } from '../common/errors.ts';
import { type Cidr, parseCidr, parseIpv4, formatCidr, formatIpv4, contains, overlaps, within, last } from './cidr.ts';
import { type AddressPool, pickSubnet, describePools } from './pools.ts';
import type { IpamConfig } from './types.ts';

export interface TakenSubnet {
  readonly cidr: Cidr;
  readonly what: string; // "route 10.0.0.0/8 dev eth0", "gantry network proj_default"
}

export interface SubnetPlan {
  readonly subnet: Cidr;
  readonly gateway: number;
  readonly ipRange?: Cidr;
}

export function planSubnet(
  id: string,
  ipam: IpamConfig | undefined,
  pools: readonly AddressPool[],
  taken: readonly TakenSubnet[],
): SubnetPlan {
  const subnet =
    ipam?.subnet !== undefined
      ? parseCidr(ipam.subnet)
      : pickSubnet(
          pools,
          taken.map((t) => t.cidr),
        );
  if (subnet === undefined) {
    throw new RuntimeError(`network ${id}: no free subnet left in address pools ${describePools(pools)}`);
  }
  if (subnet.prefix > 30) throw new ConfigError(`network ${id}: subnet ${formatCidr(subnet)} is too small (max /30)`);
  const clash = taken.find((t) => overlaps(t.cidr, subnet));
  if (clash) throw new RuntimeError(`network ${id}: subnet ${formatCidr(subnet)} overlaps ${clash.what}`);
  const gateway = ipam?.gateway !== undefined ? parseIpv4(ipam.gateway, 'gateway') : subnet.base + 1;
  if (!isHost(subnet, gateway)) {
    throw new ConfigError(
      `network ${id}: gateway ${formatIpv4(gateway)} is not a host address of ${formatCidr(subnet)}`,
    );
  }
  if (ipam?.ipRange === undefined) return { subnet, gateway };
  const ipRange = parseCidr(ipam.ipRange);
  if (!within(ipRange, subnet)) {
    throw new ConfigError(`network ${id}: ip_range ${formatCidr(ipRange)} is not inside subnet ${formatCidr(subnet)}`);
  }
  return { subnet, gateway, ipRange };
}

const isHost = (subnet: Cidr, addr: number): boolean =>
  contains(subnet, addr) && addr !== subnet.base && addr !== last(subnet);

/**
 * The address for a new endpoint: the requested static one (checked), or the lowest free one of
 * ip_range (or of the subnet). `used` holds every address already given out on this network.
 */
export function allocateAddress(id: string, plan: SubnetPlan, used: ReadonlySet<number>, requested?: string): number {
  const busy = (a: number): boolean => a === plan.gateway || used.has(a);
  if (requested !== undefined) {
    const a = parseIpv4(requested, 'ipv4_address');
    if (!isHost(plan.subnet, a)) {
      throw new ConfigError(
        `network ${id}: ipv4_address ${requested} is not a host address of ${formatCidr(plan.subnet)}`,
      );
    }
    if (busy(a)) throw new RuntimeError(`network ${id}: ipv4_address ${requested} is already in use`);
    return a;
  }
  const range = plan.ipRange ?? plan.subnet;
  for (let a = range.base; a <= last(range); a++) {
    if (isHost(plan.subnet, a) && !busy(a)) return a;
  }
  throw new RuntimeError(`network ${id}: no free address left in ${formatCidr(range)}`);
}

/** Subnets routed on the host, from `ip -j route show table all` (default routes excluded). */
export function routedSubnets(routes: unknown): readonly TakenSubnet[] {
  if (!Array.isArray(routes)) return [];
  const out: TakenSubnet[] = [];
  for (const r of routes as readonly Record<string, unknown>[]) {
    const dst = r['dst'];
    if (typeof dst !== 'string' || dst === 'default' || dst.includes(':')) continue;
    try {
      const cidr = parseCidr(dst, true);
      if (cidr.base >>> 28 === 14) continue; // multicast (224/4) is not an address anyone routes to
      out.push({ cidr, what: `route ${dst}${typeof r['dev'] === 'string' ? ` dev ${r['dev']}` : ''}` });
    } catch {
      // not an IPv4 prefix (e.g. "broadcast" types carry plain addresses, parsed above; anything else is skipped)
    }
  }
  return out;
}
