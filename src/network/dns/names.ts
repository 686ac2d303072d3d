// Which names a container answers to on one network, and the record table they add up to:
// its service name, container name and network aliases, each also as NAME.NETWORK. Replicas of
// a service share the service name, so its record holds every replica's address.

export interface NetworkMember {
  readonly service: string;
  readonly containerName: string;
  readonly aliases?: readonly string[];
  readonly network: string; // the compose network name (suffix for NAME.NETWORK)
  readonly address: string;
}

export function namesOf(m: NetworkMember): readonly string[] {
  const short = [m.service, m.containerName, ...(m.aliases ?? [])];
  return [...new Set([...short, ...short.map((n) => `${n}.${m.network}`)].map((n) => n.toLowerCase()))];
}

/** name → addresses, in member order (the responder rotates them per answer). */
export function recordsOf(members: readonly NetworkMember[]): ReadonlyMap<string, readonly string[]> {
  const out = new Map<string, string[]>();
  for (const m of members) {
    for (const n of namesOf(m)) {
      const list = out.get(n) ?? [];
      if (!list.includes(m.address)) list.push(m.address);
      out.set(n, list);
    }
  }
  return out;
}
