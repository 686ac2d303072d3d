// The DNS responder of one network: UDP and TCP on the same address and port (the bridge
// gateway, port 53), answering local names from its record table and forwarding the rest.
// One listener pair per network, aardvark-style, living in the host namespace. With `clients`
// set, it answers only sources inside that subnet (the network's members, and the host through
// the gateway address): a member of another network, or another project, gets nothing back, so
// it can neither list this network's names nor use the responder as a reflector.
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import { once } from 'node:events';
import { RuntimeError } from '../../common/errors.ts';
import { isIPv4 } from 'node:net';
import { RecordTable } from './records.ts';
import { type Cidr, contains, parseCidr, parseIpv4 } from '../cidr.ts';
import { decide, failure, REFUSED, SERVFAIL } from './answer.ts';
import { forward, u16 } from './forward.ts';
import { type Upstream, hostUpstreams, parseUpstream } from './upstreams.ts';

export interface DnsServerOptions {
  readonly address: string;
  readonly port?: number; // 53 by default; 0 picks one (tests)
  readonly upstreams?: readonly string[]; // "ip" or "ip:port"; default: the host's resolv.conf
  readonly localSuffixes?: readonly string[];
  /** false for internal networks: no way out means no DNS way out either (REFUSED). */
  readonly forward?: boolean;
  /** The network's subnet ("a.b.c.d/n"): queries from elsewhere are dropped unanswered. */
  readonly clients?: string;
}

export class DnsServer {
  readonly records: RecordTable;
  readonly #address: string;
  readonly #upstreams: readonly Upstream[];
  readonly #forward: boolean;
  readonly #clients: Cidr | undefined;
  #udp: Socket | undefined;
  #tcp: Server | undefined;
  readonly #conns = new Set<TcpSocket>();
  #byClient: ReadonlyMap<string, readonly Upstream[]> = new Map();
  #links: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map();
  readonly #extra = new Map<string, RecordTable>();
  #port = 0;

  constructor(opts: DnsServerOptions) {
    this.#address = opts.address;
    this.records = new RecordTable(opts.localSuffixes ?? []);
    this.#upstreams = opts.upstreams ? opts.upstreams.map(parseUpstream) : hostUpstreams();
    this.#port = opts.port ?? 53;
    this.#forward = opts.forward ?? true;
    this.#clients = opts.clients === undefined ? undefined : parseCidr(opts.clients, true);
  }

  /** Whether a query from this source address is answered (see `clients`). */
  accepts(address: string | undefined): boolean {
    if (this.#clients === undefined) return true;
    return address !== undefined && isIPv4(address) && contains(this.#clients, parseIpv4(address));
  }

  get port(): number {
    return this.#port;
  }

  /** A client's own upstreams (compose `dns`), by its address; the others use the server's. */
  setClientUpstreams(byClient: ReadonlyMap<string, readonly string[]>): void {
    this.#byClient = new Map([...byClient].map(([ip, ups]) => [ip, ups.map(parseUpstream)] as const));
  }

  /** Link aliases by client address: alias → the name it stands for, for that client only. */
  setClientLinks(byClient: ReadonlyMap<string, ReadonlyMap<string, string>>): void {
    this.#links = new Map(
      [...byClient].map(([ip, m]) => [ip, new Map([...m].map(([a, n]) => [a.toLowerCase(), n] as const))] as const),
    );
  }

  /**
   * Names from a client's OTHER networks (name → its addresses there), by client address: a
   * container on several networks resolves them all through its one 127.0.0.11. Tables persist
   * across updates so replicas keep rotating.
   */
  setClientRecords(byClient: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>): void {
    for (const ip of [...this.#extra.keys()]) if (!byClient.has(ip)) this.#extra.delete(ip);
    for (const [ip, entries] of byClient) {
      const table = this.#extra.get(ip) ?? new RecordTable();
      table.replace(entries);
      this.#extra.set(ip, table);
    }
  }

  set(name: string, addrs: readonly string[]): void {
    this.records.set(name, addrs);
  }

  delete(name: string): void {
    this.records.delete(name);
  }

  /**
   * Binds UDP, then TCP on the same port. With port 0 the kernel picks the UDP port, which may
   * already be taken for TCP (the ephemeral ranges are shared), so a few other ports are tried.
   */
  async start(): Promise<void> {
    const wanted = this.#port;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#bind(wanted);
        return;
      } catch (e) {
        const inUse = (e as NodeJS.ErrnoException).code === 'EADDRINUSE';
        if (wanted !== 0 || !inUse || attempt >= 8) {
          throw new RuntimeError(`dns: cannot listen on ${this.#address}:${this.#port}: ${(e as Error).message}`);
        }
      }
    }
  }

  async #bind(port: number): Promise<void> {
    const udp = createSocket({ type: this.#address.includes(':') ? 'udp6' : 'udp4' });
    udp.on('message', (msg, rinfo) => {
      if (!this.accepts(rinfo.address)) return;
      void this.#answer(msg, false, rinfo.address).then((out) => {
        if (out.length > 0 && this.#udp === udp) udp.send(out, rinfo.port, rinfo.address);
      });
    });
    udp.on('error', () => undefined); // a bad client datagram must never bring the responder down
    try {
      udp.bind({ address: this.#address, port });
      await once(udp, 'listening');
      this.#port = udp.address().port;
      const tcp = createServer((s) => this.#serveTcp(s));
      tcp.listen({ host: this.#address, port: this.#port });
      await once(tcp, 'listening');
      this.#udp = udp;
      this.#tcp = tcp;
    } catch (e) {
      udp.close();
      throw e;
    }
  }

  async close(): Promise<void> {
    this.#udp?.close();
    // Clients (c-ares, glibc) keep TCP connections open; closing must not wait for their idle timeout.
    for (const c of this.#conns) c.destroy();
    if (this.#tcp) await new Promise((r) => this.#tcp!.close(r));
    this.#udp = undefined;
    this.#tcp = undefined;
  }

  async #answer(raw: Buffer, tcp: boolean, client: string | undefined): Promise<Buffer> {
    const links = client !== undefined ? this.#links.get(client) : undefined;
    const extra = client !== undefined ? this.#extra.get(client) : undefined;
    const d = decide(raw, this.records, tcp, links, extra);
    if (d.kind === 'answer') return d.packet;
    if (!this.#forward) return failure(raw, REFUSED);
    const ups = (client !== undefined ? this.#byClient.get(client) : undefined) ?? this.#upstreams;
    return (await forward(raw, ups, tcp)) ?? failure(raw, SERVFAIL);
  }

  #serveTcp(sock: TcpSocket): void {
    if (!this.accepts(sock.remoteAddress)) {
      sock.destroy();
      return;
    }
    let buf = Buffer.alloc(0);
    this.#conns.add(sock);
    sock.on('close', () => this.#conns.delete(sock));
    sock.setTimeout(10_000, () => sock.destroy());
    sock.on('error', () => undefined);
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + msg.length);
        void this.#answer(msg, true, sock.remoteAddress).then(
          (out) => sock.writable && sock.write(Buffer.concat([u16(out.length), out])),
        );
      }
    });
  }
}
