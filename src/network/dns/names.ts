// Which names a container answers to on one network, and the record table they add up to: its
// service name, container name and network aliases, each also as NAME.NETWORK. Replicas share
// the service name, so its record holds every replica's address. The engine's supervision set
// carries the unqualified names per endpoint; qualification happens here.

export interface NetworkMember {
  readonly names: readonly string[]; // unqualified: service, container name, aliases
  readonly network: string; // the compose network name (suffix for NAME.NETWORK)
  readonly address: string;
}

export function memberNames(
  service: string,
  containerName: string,
  aliases: readonly string[] = [],
): readonly string[] {
  return [...new Set([service, containerName, ...aliases])];
}

/** name → addresses, in member order (the responder rotates them per answer). */
export function recordsOf(members: readonly NetworkMember[]): ReadonlyMap<string, readonly string[]> {
  const out = new Map<string, string[]>();
  for (const m of members) {
    const names = new Set([...m.names, ...m.names.map((n) => `${n}.${m.network}`)].map((n) => n.toLowerCase()));
    for (const n of names) {
      const list = out.get(n) ?? [];
      if (!list.includes(m.address)) list.push(m.address);
      out.set(n, list);
    }
  }
  return out;
}
