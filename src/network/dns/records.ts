// The names the DNS responder answers itself: service names, aliases, container names and
// SERVICE.NETWORK names → the current addresses, rotated on every answer (round-robin over
// replicas). A name is "local" (answered here, NXDOMAIN when unknown) when it is single-label,
// ends in one of the local suffixes (the network names), or is in the table; the rest is forwarded.

const norm = (name: string): string => name.toLowerCase().replace(/\.$/, '');

export class RecordTable {
  readonly #names = new Map<string, readonly string[]>();
  readonly #turn = new Map<string, number>();
  readonly #suffixes = new Set<string>();

  constructor(localSuffixes: readonly string[] = []) {
    for (const s of localSuffixes) this.#suffixes.add(norm(s));
  }

  set(name: string, addrs: readonly string[]): void {
    this.#names.set(norm(name), [...addrs]);
  }

  delete(name: string): void {
    const n = norm(name);
    this.#names.delete(n);
    for (const k of [...this.#turn.keys()]) if (k.startsWith(`${n}\0`)) this.#turn.delete(k);
  }

  /** Replaces the whole table (a container started, stopped or was recreated); keeps rotation state. */
  replace(entries: ReadonlyMap<string, readonly string[]>): void {
    const next = new Map([...entries].map(([n, a]) => [norm(n), [...a]] as const));
    for (const n of [...this.#names.keys()]) if (!next.has(n)) this.delete(n);
    for (const [n, a] of next) this.#names.set(n, a);
  }

  addSuffix(suffix: string): void {
    this.#suffixes.add(norm(suffix));
  }

  has(name: string): boolean {
    return this.#names.has(norm(name));
  }

  isLocal(name: string): boolean {
    const n = norm(name);
    if (this.#names.has(n) || !n.includes('.')) return true;
    return [...this.#suffixes].some((s) => n.endsWith(`.${s}`));
  }

  /**
   * Addresses of name that `keep` accepts, rotated one step per call of the same `family`: a
   * resolver asks A and AAAA for every lookup, and one shared turn would step twice and give two
   * replicas back in the same order every time. Undefined for an unknown name.
   */
  lookup(name: string, family = '', keep: (addr: string) => boolean = () => true): readonly string[] | undefined {
    const n = norm(name);
    const all = this.#names.get(n);
    if (all === undefined) return undefined;
    const addrs = all.filter(keep);
    const key = `${n}\0${family}`;
    const turn = this.#turn.get(key) ?? 0;
    this.#turn.set(key, turn + 1);
    const k = addrs.length === 0 ? 0 : turn % addrs.length;
    return [...addrs.slice(k), ...addrs.slice(0, k)];
  }
}
