// `ip -batch` lines for one endpoint: a veth pair whose host end joins the bridge and whose other
// end is created directly inside the container's namespace under its final name (eth0, eth1…),
// then addressed from inside. Two batches: ≈ 6 ms against ≈ 40 ms for separate `ip` calls.
import { formatIpv4 } from './cidr.ts';

export interface VethPlan {
  readonly hostVeth: string;
  readonly bridge: string;
  readonly netnsPath: string;
  readonly ifname: string;
  readonly address: number;
  readonly prefix: number;
  readonly gateway: number;
  readonly defaultRoute: boolean; // already false for internal networks
  readonly mtu?: number;
  readonly macAddress?: string;
}

/**
 * Docker's MAC for an address (02:42 and the IPv4 bytes). A container that gets the address of a
 * removed one (a recreate does, the lowest free address goes first) then has its MAC too, so the
 * host's and the peers' neighbour entries for that address stay right: with a random MAC, the
 * published-port proxy's connections went to the old MAC and timed out for seconds after
 * `up --wait` (issue 15). Unique on a bridge because addresses are.
 */
export function macOfAddress(address: number): string {
  const bytes = [0x02, 0x42, address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;
const MAC = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;

/** Names and MACs end up in batch text, so they are checked strictly (no spaces, no newlines). */
export function checkVethInputs(p: Pick<VethPlan, 'ifname' | 'macAddress' | 'netnsPath'>): string | undefined {
  if (!IFNAME.test(p.ifname)) return `invalid interface name "${p.ifname}"`;
  if (p.macAddress !== undefined && !MAC.test(p.macAddress)) return `invalid mac_address "${p.macAddress}"`;
  if (/[\s"'\\]/.test(p.netnsPath)) return `namespace path "${p.netnsPath}" must not contain spaces or quotes`;
  return undefined;
}

export function vethHostLines(p: VethPlan): readonly string[] {
  const mtu = p.mtu === undefined ? '' : ` mtu ${p.mtu}`;
  const mac = p.macAddress === undefined ? '' : ` address ${p.macAddress}`;
  return [
    `link add ${p.hostVeth}${mtu} type veth peer name ${p.ifname}${mtu}${mac} netns ${p.netnsPath}`,
    `link set ${p.hostVeth} master ${p.bridge}`,
    `link set ${p.hostVeth} up`,
  ];
}

export function vethInsideLines(p: VethPlan): readonly string[] {
  const lines = [
    `addr add ${formatIpv4(p.address)}/${p.prefix} dev ${p.ifname}`,
    'link set lo up',
    `link set ${p.ifname} up`,
  ];
  if (p.defaultRoute) lines.push(`route replace default via ${formatIpv4(p.gateway)} dev ${p.ifname}`);
  return lines;
}

export const vethHostDeleteLines = (hostVeth: string): readonly string[] => [`link del ${hostVeth}`];

/**
 * Deletes many host ends in one kernel batch: each `link del` waits out its own RCU grace period
 * (≈ 18–28 ms a veth here, 10 veths ≈ 190–280 ms), while `link del group` unregisters the whole
 * group at once (10 veths ≈ 20 ms). The group is a fresh random number so nothing else is in it;
 * deleting a host end takes its peer in the container's namespace along. `before`: lines run just
 * before the delete, once the links are in the group (a namespace's delete, whose kernel cleanup
 * may take a veth of the group along meanwhile: the group's delete then takes what is left).
 */
export function vethsHostDeleteLines(
  hostVeths: readonly string[],
  group: number,
  before: readonly string[] = [],
): readonly string[] {
  if (hostVeths.length <= 1 && before.length === 0) return hostVeths.flatMap(vethHostDeleteLines);
  return [...hostVeths.map((v) => `link set dev ${v} group ${group}`), ...before, `link del group ${group}`];
}

/** Far from 0 (every link's default group) and from the small numbers admins give by hand. */
export const scratchGroup = (): number => 0x40000000 + Math.floor(Math.random() * 0x3fffffff);
