// Forwarding of non-local queries to upstream resolvers, raw bytes in and out (the upstream's
// answer is relayed as is, with the client's id), trying each upstream in turn.
import { createSocket } from 'node:dgram';
import { connect, isIPv6 } from 'node:net';
import type { Upstream } from './upstreams.ts';

const TIMEOUT_MS = 2000;

function udpOnce(query: Buffer, up: Upstream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = createSocket(isIPv6(up.host) ? 'udp6' : 'udp4');
    const done = (err: Error | undefined, msg?: Buffer): void => {
      clearTimeout(timer);
      sock.close();
      if (err) reject(err);
      else resolve(msg!);
    };
    const timer = setTimeout(() => done(new Error(`upstream ${up.host}:${up.port} timed out`)), TIMEOUT_MS);
    sock.on('error', (e) => done(e));
    sock.on('message', (msg) => {
      if (msg.length >= 2 && msg.readUInt16BE(0) === query.readUInt16BE(0)) done(undefined, msg);
    });
    // A connected socket hears ICMP port-unreachable (ECONNREFUSED), so a dead upstream fails fast.
    sock.connect(up.port, up.host, () => sock.send(query));
  });
}

function tcpOnce(query: Buffer, up: Upstream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: up.host, port: up.port });
    let buf = Buffer.alloc(0);
    sock.setTimeout(TIMEOUT_MS, () => sock.destroy(new Error(`upstream ${up.host}:${up.port} timed out`)));
    sock.on('error', reject);
    sock.on('connect', () => sock.write(Buffer.concat([u16(query.length), query])));
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        resolve(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        sock.destroy();
      }
    });
  });
}

export function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

/** The first upstream answer, or undefined when none answered (the caller sends SERVFAIL). */
export async function forward(
  query: Buffer,
  upstreams: readonly Upstream[],
  tcp: boolean,
): Promise<Buffer | undefined> {
  for (const up of upstreams) {
    try {
      return await (tcp ? tcpOnce(query, up) : udpOnce(query, up));
    } catch {
      // try the next upstream, as a stub resolver would
    }
  }
  return undefined;
}
