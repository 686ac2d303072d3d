// Kernel object names gantry makes: ≤ 15 characters (IFNAMSIZ), fixed prefixes so gc and humans
// can tell them apart, and hashes so two projects (or two state roots) never pick the same name.
import { randomHex, sha256 } from '../common/lazy-crypto.ts';

export const BRIDGE_PREFIX = 'gt-';
export const VETH_PREFIX = 'gv-';
const IFNAMSIZ = 15;

/** Deterministic bridge name for a network id; `attempt` > 0 only when the first name is taken. */
export function bridgeName(root: string, id: string, attempt = 0): string {
  const h = sha256().update(`${root}\0${id}\0${attempt}`).digest('hex');
  return (BRIDGE_PREFIX + h).slice(0, IFNAMSIZ);
}

/**
 * Host-side veth names are random, not derived: a deleted namespace's peer disappears
 * asynchronously, and a recreated endpoint must never collide with the dying one.
 */
export function vethName(): string {
  return (VETH_PREFIX + randomHex(8)).slice(0, IFNAMSIZ);
}

/** iptables chain / nft table names for a bridge (iptables allows 28 characters). */
export const chainNames = (bridge: string) =>
  ({
    forward: `GANTRY-FWD-${bridge}`,
    input: `GANTRY-IN-${bridge}`,
    nat: `GANTRY-NAT-${bridge}`,
    comment: `gantry:${bridge}`,
    nftTable: `gantry_${bridge.slice(BRIDGE_PREFIX.length)}`,
  }) as const;
