// TCP side of the userland port proxy: each accepted connection is spliced to the container
// address with stream pipes (kernel buffers, no per-byte work in JS), half-close preserved.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';

const open = new WeakMap<Server, Set<Socket>>();

/**
 * Ends the proxied connections of a closing server: `server.close()` alone waits for them, and a
 * client that half-closed to an idle keep-alive upstream keeps it open for as long as the
 * program likes (the supervisor's stop, hence `down`, then waited 15 s).
 */
export function dropConnections(server: Server): void {
  for (const s of open.get(server) ?? []) s.destroy();
}

export async function listenTcp(hostIp: string, hostPort: number, containerIp: string, containerPort: number): Promise<Server> {
  const sockets = new Set<Socket>();
  const server = createServer({ noDelay: true, allowHalfOpen: true }, (client: Socket) => {
    const upstream = connect({ host: containerIp, port: containerPort, noDelay: true, allowHalfOpen: true });
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
  open.set(server, sockets);
  server.listen({ host: hostIp, port: hostPort, exclusive: true });
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([e]) => Promise.reject(e as Error))]);
  return server;
}
