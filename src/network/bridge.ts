// `ip -batch` lines for a network's Linux bridge: created with the gateway address (the DNS
// responder binds there) and the driver_opts MTU; deleted as one link.
import { formatIpv4 } from './cidr.ts';
import type { SubnetPlan } from './ipam.ts';

export function bridgeCreateLines(bridge: string, plan: SubnetPlan, mtu?: number): readonly string[] {
  return [
    `link add name ${bridge}${mtu === undefined ? '' : ` mtu ${mtu}`} type bridge`,
    `addr add ${formatIpv4(plan.gateway)}/${plan.subnet.prefix} dev ${bridge}`,
    `link set ${bridge} up`,
  ];
}

/** Names of links on the host, from `ip -j link show`. */
export function linkNames(links: unknown): ReadonlySet<string> {
  if (!Array.isArray(links)) return new Set();
  return new Set(
    (links as readonly Record<string, unknown>[])
      .map((l) => l['ifname'])
      .filter((n): n is string => typeof n === 'string'),
  );
}
