// The order in which a container joins its networks and which one carries the default route:
// highest `priority` first (compose's rule), then by network id for a stable order; interfaces
// are named eth0, eth1… in that order, and the first non-internal network gets the default route
// (an internal network has no way out to give).
import { byCodeUnit } from '../common/compare.ts';

export interface NetworkJoin {
  readonly networkId: string;
  readonly internal: boolean;
  readonly priority?: number;
}

export interface PlannedJoin {
  readonly networkId: string;
  readonly ifname: string;
  readonly defaultRoute: boolean;
}

export function planJoins(joins: readonly NetworkJoin[]): readonly PlannedJoin[] {
  const ordered = [...joins].sort(
    (a, b) => (b.priority ?? 0) - (a.priority ?? 0) || byCodeUnit(a.networkId, b.networkId),
  );
  const routed = ordered.find((j) => !j.internal)?.networkId;
  return ordered.map((j, i) => ({ networkId: j.networkId, ifname: `eth${i}`, defaultRoute: j.networkId === routed }));
}
