// TCP side of the userland port proxy: each accepted connection is spliced to the container
// address with stream pipes (kernel buffers, no per-byte work in JS), half-close preserved.
// Pipes pause the reader when the writer is full, so buffering stays at one highWaterMark per
// direction. Connections are capped per port and kept alive by TCP probes: a flood or peers
// that vanish without a FIN must not use up the supervisor's descriptors (its DNS and probes
// need them too).
import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';

const open = new WeakMap<Server, Set<Socket>>();

/** Concurrent connections per published port (2 descriptors each); more are closed at once. */
export const TCP_MAX_CONNECTIONS = 4096;
const KEEPALIVE_MS = 60_000;

/**
 * Ends the proxied connections of a closing server: `server.close()` alone waits for them, and a
 * client that half-closed to an idle keep-alive upstream keeps it open for as long as the
 * program likes (the supervisor's stop, hence `down`, then waited 15 s).
 */
export function dropConnections(server: Server): void {
  for (const s of open.get(server) ?? []) s.destroy();
}

export async function listenTcp(
  hostIp: string,
  hostPort: number,
  containerIp: string,
  containerPort: number,
  maxConnections = TCP_MAX_CONNECTIONS,
): Promise<Server> {
  const sockets = new Set<Socket>();
  const keep = { keepAlive: true, keepAliveInitialDelay: KEEPALIVE_MS };
  const server = createServer({ noDelay: true, allowHalfOpen: true, ...keep }, (client: Socket) => {
    const upstream = connect({ host: containerIp, port: containerPort, noDelay: true, allowHalfOpen: true, ...keep });
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    const stop = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', stop);
    upstream.on('error', stop);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  server.maxConnections = maxConnections;
  open.set(server, sockets);
  server.listen({ host: hostIp, port: hostPort, exclusive: true });
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([e]) => Promise.reject(e as Error))]);
  return server;
}
