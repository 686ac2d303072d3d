// The network module's public API (the engine's only entry point): the manager for bridges,
// endpoints, addresses and firewall rules; DNS; published ports; resolv.conf and /etc/hosts.
import { type NetHost, systemHost } from './host.ts';
import { type AddressPool, poolsFromEnv } from './pools.ts';
import { DEFAULT_LOCK_FILE } from './lock.ts';
import type { NetContext } from './context.ts';
import { listRecords, readRecord } from './store.ts';
import { ensureNetwork, removeNetwork, pruneNetworks, infoOf } from './networks.ts';
import { attach } from './endpoints.ts';
import { detach, detachesUnderway } from './detach.ts';
import { type GcReport, gc } from './gc.ts';
import { netnsPath } from './netns.ts';
import type { AttachOptions, AttachResult, NetworkInfo, NetworkRecord, NetworkSpec } from './types.ts';

export type * from './types.ts';
export type { NetHost } from './host.ts';
export type { GcReport } from './gc.ts';
export { systemHost } from './host.ts';
export { parsePools, DEFAULT_POOLS } from './pools.ts';
export { planJoins, type NetworkJoin, type PlannedJoin } from './attach-plan.ts';

export interface NetworkManagerOptions {
  readonly root: string; // stateDirs(stateRoot()).networks
  readonly host?: NetHost;
  readonly pools?: readonly AddressPool[]; // default: GANTRY_ADDRESS_POOLS or Docker-like pools
  readonly lockFile?: string; // host-wide; tests keep the default so they serialize like real runs
  readonly warn?: (message: string) => void;
  readonly firewall?: 'iptables' | 'nft' | 'none'; // force a backend instead of detecting one
  /**
   * Whether an endpoint's owner (the container name given to attach) no longer exists. Such an
   * endpoint, once the process that attached it is gone too, keeps no network in use: removeNetwork
   * and prune take its veth along instead of refusing.
   */
  readonly ownerGone?: (owner: string) => boolean;
}

/** A network as list() gives it: its facts, endpoints and labels (whose project it is). */
export type NetworkListing = NetworkInfo & {
  readonly endpoints: NetworkRecord['endpoints'];
  readonly labels: NetworkRecord['labels'];
};

export interface NetworkManager {
  ensureNetwork(spec: NetworkSpec): Promise<NetworkInfo>;
  attach(netnsPath: string, networkId: string, opts: AttachOptions): Promise<AttachResult>;
  detach(netnsPath: string, networkId: string, ifname?: string): Promise<void>;
  /**
   * Detaches every endpoint of the named namespace (/run/netns/NAME) from the network and deletes
   * the namespace in the veths' `ip` run; deleteNetns after it then finds it gone (or deletes it,
   * had that run failed) and forgets its owner record.
   */
  leave(netnsName: string, networkId: string): Promise<void>;
  /**
   * Resolves once every detach and leave asked for so far is under way (its child started, or it
   * settled, or it waits for another process's lock): work done after it no longer delays theirs.
   */
  detachesUnderway(): Promise<void>;
  removeNetwork(id: string): Promise<void>;
  /**
   * Says that removeNetwork(id) follows once the endpoints being detached are gone (down): the
   * detach of the last ones then deletes the bridge in the same kernel batch as their veths and
   * removes the rules meanwhile (the bridge's own delete waits ≈ 40–80 ms more here), and
   * removeNetwork finds it done.
   */
  expectRemoval(ids: readonly string[]): void;
  /** network_mode "none": the namespace keeps only its loopback, brought up. */
  loopbackOnly(netnsPath: string): Promise<void>;
  /** The network if it exists (external networks must), else undefined. */
  inspect(id: string): Promise<NetworkInfo | undefined>;
  list(): Promise<readonly NetworkListing[]>;
  gc(): Promise<GcReport>;
  /** Removes every network without a live endpoint. */
  prune(): Promise<readonly string[]>;
}

export function createNetworkManager(opts: NetworkManagerOptions): NetworkManager {
  const ctx: NetContext = {
    root: opts.root,
    host: opts.host ?? systemHost(),
    pools: opts.pools ?? poolsFromEnv(),
    lockFile: opts.lockFile ?? DEFAULT_LOCK_FILE,
    warn: opts.warn ?? ((m) => process.emitWarning(m, 'GantryWarning')),
    ...(opts.firewall ? { firewall: opts.firewall } : {}),
    ...(opts.ownerGone ? { ownerGone: opts.ownerGone } : {}),
    leaving: new Set(),
    leftEarly: new Set(),
  };
  // A network's facts (subnet, gateway, internal) never change while it exists: each is read once
  // per manager, so a command's attaches and supervisor syncs ask here instead of keeping a copy.
  const known = new Map<string, NetworkInfo>();
  const remember = (info: NetworkInfo): NetworkInfo => (known.set(info.id, info), info);
  return {
    ensureNetwork: async (spec) => remember(await ensureNetwork(ctx, spec)),
    attach: (netnsPath, id, o) => attach(ctx, netnsPath, id, o),
    detach: (netnsPath, id, ifname) => detach(ctx, netnsPath, id, ifname),
    leave: (name, id) => detach(ctx, netnsPath(name), id, undefined, name),
    detachesUnderway: () => detachesUnderway(ctx),
    removeNetwork: (id) => (known.delete(id), removeNetwork(ctx, id)),
    expectRemoval: (ids) => void ids.forEach((id) => ctx.leaving.add(id)),
    list: async () =>
      (await listRecords(ctx.root))
        .filter((r) => r.state === 'ready')
        .map((r) => ({ ...remember(infoOf(r)), endpoints: r.endpoints, labels: r.labels })),
    gc: () => gc(ctx),
    prune: () => pruneNetworks(ctx),
    loopbackOnly: (netnsPath) => ctx.host.ipBatch(['link set lo up'], netnsPath),
    inspect: async (id) => {
      if (known.has(id)) return known.get(id);
      const r = await readRecord(ctx.root, id);
      return r?.state === 'ready' ? remember(infoOf(r)) : undefined;
    },
  };
}

// The DNS server is the supervisor's alone, from dns/index.ts: here its packet codec would be
// initialized by every command that touches a network.
export { memberNames, recordsOf, type NetworkMember } from './dns/names.ts';
export { resolvConfFor, type ResolvConfInput } from './dns/resolv-conf.ts';
export { hostsFileFor, type HostsInput } from './dns/hosts-file.ts';
export {
  publish,
  publishAll,
  checkPortsFree,
  choosePorts,
  portSlot,
  expandRange,
  type PortSpec,
  type PublishedPort,
} from './ports.ts';
export { createNetns, deleteNetns, netnsPath } from './netns.ts';
export { netnsInUse } from './owners.ts';
