// `ip -batch` lines for a network's Linux bridge: created with the gateway address (the DNS
// responder binds there), a MAC address of its own and the driver_opts MTU; deleted as one link.
import { readFileSync } from 'node:fs';
import { formatIpv4 } from './cidr.ts';
import type { SubnetPlan } from './ipam.ts';
import { macOfAddress } from './veth.ts';

/**
 * A bridge without an address set by hand takes the lowest MAC of its ports, so it changed each
 * time a container's veth came or went, and every container that had the gateway in its neighbour
 * cache sent its DNS queries and egress to a MAC no longer there until its kernel re-probed
 * (5–8 s: the realistic stack's migration got "bad address" for `db`, issue 15). Set once, the
 * kernel keeps it (addr_assign_type 3); derived from the gateway, which no container can have.
 */
export const bridgeMac = (gateway: number): string => macOfAddress(gateway);

export function bridgeCreateLines(bridge: string, plan: SubnetPlan, mtu?: number): readonly string[] {
  return [
    `link add name ${bridge}${mtu === undefined ? '' : ` mtu ${mtu}`} address ${bridgeMac(plan.gateway)} type bridge`,
    `addr add ${formatIpv4(plan.gateway)}/${plan.subnet.prefix} dev ${bridge}`,
    `link set ${bridge} up`,
  ];
}

/**
 * The line that pins the MAC of a bridge an older gantry made (it still follows its ports), or
 * none when the kernel says it is set (3, NET_ADDR_SET) or cannot say (no such link in sysfs).
 */
export function bridgePinLines(bridge: string, gateway: number): readonly string[] {
  let type: string;
  try {
    type = readFileSync(`/sys/class/net/${bridge}/addr_assign_type`, 'utf8').trim();
  } catch {
    return [];
  }
  return type === '3' ? [] : [`link set dev ${bridge} address ${bridgeMac(gateway)}`];
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
