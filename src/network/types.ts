// The network module's own input and output shapes (the engine translates compose networks into
// these) and the records it keeps on disk. Readonly throughout: transforms return new objects.

export interface IpamConfig {
  readonly subnet?: string;
  readonly ipRange?: string;
  readonly gateway?: string;
}

export interface NetworkSpec {
  readonly id: string; // e.g. "<project>_<net>"; unique per host
  readonly internal: boolean;
  readonly mtu?: number;
  readonly ipam?: readonly IpamConfig[];
  readonly labels?: Readonly<Record<string, string>>;
}

export interface NetworkInfo {
  readonly id: string;
  readonly bridge: string;
  readonly subnet: string;
  readonly gateway: string;
  readonly internal: boolean;
}

export interface AttachOptions {
  readonly ifname: string; // eth0, eth1… inside the namespace
  readonly ipv4Address?: string;
  readonly macAddress?: string;
  readonly priority?: number;
  readonly defaultRoute: boolean;
  readonly owner?: string; // who holds the endpoint (container name), for messages
  /**
   * The named namespace (/run/netns/NAME) may not exist yet: the attach's host batch makes it
   * (`netns add`, one `ip` run fewer than createNetns first), its owner (the network dir, as
   * createNetns takes) recorded before, for the host-wide sweep.
   */
  readonly newNetns?: { readonly owner: string };
}

export interface AttachResult {
  readonly address: string;
  readonly ifname: string;
  readonly hostVeth: string;
}

export type FirewallKind = 'iptables' | 'nft' | 'none';

export interface EndpointRecord {
  readonly netnsPath: string;
  readonly ifname: string;
  readonly address: string;
  readonly hostVeth: string;
  readonly owner: string;
  readonly pid: number; // the gantry process that made it (gc: intents of dead processes)
  readonly state: 'attaching' | 'ready';
}

export interface NetworkRecord {
  readonly id: string;
  readonly bridge: string;
  readonly subnet: string;
  readonly gateway: string;
  readonly ipRange?: string;
  readonly internal: boolean;
  readonly mtu?: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly firewall: FirewallKind;
  /** Version of the rules installed (nat.ts RULES_VERSION); absent = before isolation (1). */
  readonly rules?: number;
  readonly pid: number;
  readonly state: 'creating' | 'ready' | 'removing';
  readonly endpoints: readonly EndpointRecord[];
}
