// UDP side of the userland port proxy: one connected socket toward the container per client
// address, so replies find their way back. Sessions end after 90 s without traffic (Docker's
// userland proxy's UDP timeout), and at most MAX_SESSIONS live at once: a new client beyond that
// evicts the least recently used one. Without the cap, a flood of spoofed or one-shot source
// ports gave the supervisor one descriptor each until it ran out (its DNS and probes with it).
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { isIPv6 } from 'node:net';

export const UDP_IDLE_MS = 90_000;
export const UDP_MAX_SESSIONS = 1024;

export interface UdpProxy {
  readonly socket: Socket;
  /** Client sessions open now (each holds one socket). */
  readonly sessions: () => number;
  close(): void;
}

interface Session {
  readonly sock: Socket;
  readonly timer: NodeJS.Timeout;
  readonly ready: Promise<unknown>;
}

export interface UdpProxyLimits {
  readonly idleMs?: number;
  readonly maxSessions?: number;
}

export async function listenUdp(
  hostIp: string,
  hostPort: number,
  containerIp: string,
  containerPort: number,
  limits: UdpProxyLimits = {},
): Promise<UdpProxy> {
  const idleMs = limits.idleMs ?? UDP_IDLE_MS;
  const max = limits.maxSessions ?? UDP_MAX_SESSIONS;
  const front = createSocket({ type: isIPv6(hostIp) ? 'udp6' : 'udp4' });
  // Insertion order is recency order: a session is moved to the end on every datagram, so the
  // first key is always the least recently used.
  const sessions = new Map<string, Session>();
  const end = (key: string): void => {
    const s = sessions.get(key);
    if (!s) return;
    clearTimeout(s.timer);
    s.sock.close();
    sessions.delete(key);
  };
  const open = (key: string, port: number, address: string): Session => {
    while (sessions.size >= max) end(sessions.keys().next().value!);
    const sock = createSocket(isIPv6(containerIp) ? 'udp6' : 'udp4');
    sock.on('message', (reply) => front.send(reply, port, address));
    sock.on('error', () => end(key));
    const ready = once(sock, 'connect');
    sock.connect(containerPort, containerIp);
    return { sock, timer: setTimeout(() => end(key), idleMs), ready };
  };
  front.on('message', (msg, from) => {
    const key = `${from.address}:${from.port}`;
    const s = sessions.get(key) ?? open(key, from.port, from.address);
    sessions.delete(key);
    sessions.set(key, s);
    s.timer.refresh();
    s.ready.then(
      () => sessions.get(key) === s && s.sock.send(msg),
      () => sessions.get(key) === s && end(key),
    );
  });
  front.on('error', () => undefined);
  front.bind({ address: hostIp, port: hostPort, exclusive: true });
  await Promise.race([once(front, 'listening'), once(front, 'error').then(([e]) => Promise.reject(e as Error))]);
  return {
    socket: front,
    sessions: () => sessions.size,
    close() {
      for (const key of [...sessions.keys()]) end(key);
      front.close();
    },
  };
}
