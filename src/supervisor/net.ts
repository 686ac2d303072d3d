// The supervisor's sockets: one DnsServer per project network (records = the RUNNING containers'
// endpoint names) and one userland proxy per published port. All of them die with the process,
// so a crashed supervisor never leaves a bound port behind.
import { DnsServer } from '../network/dns/index.ts';
import { recordsOf, type NetworkMember } from '../network/dns/names.ts';
import { publish, type PublishedPort } from '../network/ports.ts';
import type { SupervisedContainer, SupervisedNetwork, SupervisionSet } from './contract.ts';

/** `<project>_web` → `web`: the compose network name, the suffix of NAME.NETWORK records. */
export const shortNetworkName = (project: string, networkId: string): string =>
  networkId.startsWith(`${project}_`) ? networkId.slice(project.length + 1) : networkId;

const portKey = (c: SupervisedContainer, i: number): string => {
  const p = c.ports[i]!;
  return `${p.hostIp || '0.0.0.0'}:${p.hostPort}/${p.protocol}>${c.endpoints[0]?.address}:${p.containerPort}`;
};

export class ProjectSockets {
  readonly #dns = new Map<string, { readonly server: DnsServer; readonly key: string }>();
  readonly #ports = new Map<string, PublishedPort>();
  #queue: Promise<void> = Promise.resolve();

  /**
   * Opens what the set adds and closes what it dropped; throws naming the ports that failed.
   * `running`: with set.portsWhileRunning, only these containers' ports are held. Calls run one
   * after another (a reload and a container's exit may ask at once).
   */
  apply(set: SupervisionSet, running?: ReadonlySet<string>): Promise<void> {
    const next = this.#queue.catch(() => undefined).then(() => this.#apply(set, running));
    this.#queue = next;
    return next;
  }

  async #apply(set: SupervisionSet, running: ReadonlySet<string> | undefined): Promise<void> {
    const wanted = new Map(set.networks.map((n) => [n.networkId, n] as const));
    for (const [id, d] of this.#dns) {
      const n = wanted.get(id);
      if (!n || dnsKey(set, n) !== d.key) await this.#closeDns(id);
    }
    for (const n of set.networks) if (!this.#dns.has(n.networkId)) await this.#openDns(set, n);
    const ports = new Map<string, { c: SupervisedContainer; i: number }>();
    const holding = set.portsWhileRunning && running ? set.containers.filter((c) => running.has(c.id)) : set.containers;
    for (const c of holding) c.ports.forEach((_, i) => c.endpoints.length > 0 && ports.set(portKey(c, i), { c, i }));
    for (const [k, p] of this.#ports) if (!ports.has(k)) await p.close().finally(() => this.#ports.delete(k));
    const failed: string[] = [];
    for (const [k, { c, i }] of ports) {
      if (this.#ports.has(k)) continue;
      const p = c.ports[i]!;
      const spec = {
        hostIp: p.hostIp,
        hostPort: p.hostPort,
        containerIp: c.endpoints[0]!.address,
        containerPort: p.containerPort,
        protocol: p.protocol,
        owner: c.service,
      };
      // One busy port must not leave the others unbound: bind the rest, then report all failures.
      await publish(spec).then(
        (pp) => void this.#ports.set(k, pp),
        (e: unknown) => void failed.push((e as Error).message),
      );
    }
    if (failed.length > 0) throw new Error(failed.join('; '));
  }

  /**
   * Records from the endpoints of the containers that run now. A container on several networks
   * also gets, on each of its networks' servers, the names of its other networks (Docker answers
   * all of them on 127.0.0.11; the relay asks one server).
   */
  updateRecords(set: SupervisionSet, running: ReadonlySet<string>): void {
    const live = set.containers.filter((c) => running.has(c.id));
    const byNetwork = new Map<string, ReadonlyMap<string, readonly string[]>>();
    for (const id of this.#dns.keys()) {
      const network = shortNetworkName(set.project, id);
      const members: NetworkMember[] = live.flatMap((c) =>
        c.endpoints.filter((e) => e.networkId === id).map((e) => ({ names: e.names, network, address: e.address })),
      );
      byNetwork.set(id, recordsOf(members));
    }
    for (const [id, { server }] of this.#dns) {
      const upstreams = new Map<string, readonly string[]>();
      const links = new Map<string, ReadonlyMap<string, string>>();
      const extra = new Map<string, ReadonlyMap<string, readonly string[]>>();
      // What an asker may resolve is known before it runs: a program that asks at once must not
      // race the supervisor noticing its start. Only the answers come from running containers.
      for (const c of set.containers) {
        for (const e of c.endpoints) {
          if (e.networkId !== id) continue;
          if (c.dns && c.dns.length > 0) upstreams.set(e.address, c.dns);
          if (c.links) links.set(e.address, new Map(Object.entries(c.links)));
          const others = c.endpoints.filter((o) => o.networkId !== id).map((o) => byNetwork.get(o.networkId));
          if (others.length > 0) extra.set(e.address, firstWins(others));
        }
      }
      server.records.replace(byNetwork.get(id) ?? new Map());
      server.setClientUpstreams(upstreams);
      server.setClientLinks(links);
      server.setClientRecords(extra);
    }
  }

  async close(): Promise<void> {
    for (const id of [...this.#dns.keys()]) await this.#closeDns(id);
    await Promise.all([...this.#ports.values()].map((p) => p.close()));
    this.#ports.clear();
  }

  async #openDns(set: SupervisionSet, n: SupervisedNetwork): Promise<void> {
    const server = new DnsServer({
      address: n.dnsAddress,
      localSuffixes: [shortNetworkName(set.project, n.networkId)],
      forward: !n.internal,
      ...(n.subnet !== undefined ? { clients: n.subnet } : {}),
      ...(set.upstreamDns && set.upstreamDns.length > 0 ? { upstreams: set.upstreamDns } : {}),
    });
    await server.start();
    this.#dns.set(n.networkId, { server, key: dnsKey(set, n) });
  }

  async #closeDns(id: string): Promise<void> {
    const d = this.#dns.get(id);
    this.#dns.delete(id);
    await d?.server.close();
  }
}

/** Several networks' records as one table: a name on two networks answers as on the first. */
function firstWins(
  tables: readonly (ReadonlyMap<string, readonly string[]> | undefined)[],
): ReadonlyMap<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const t of tables) for (const [n, a] of t ?? []) if (!out.has(n)) out.set(n, a);
  return out;
}

/** A change of address, subnet, upstreams or internal flag means a new server. */
const dnsKey = (set: SupervisionSet, n: SupervisedNetwork): string =>
  JSON.stringify([n.dnsAddress, n.subnet, n.internal, set.upstreamDns ?? []]);
