// TCP side of the userland port proxy: each accepted connection is spliced to the container
// address with stream pipes (kernel buffers, no per-byte work in JS), half-close preserved.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';

export async function listenTcp(hostIp: string, hostPort: number, containerIp: string, containerPort: number): Promise<Server> {
  const server = createServer({ noDelay: true, allowHalfOpen: true }, (client: Socket) => {
    const upstream = connect({ host: containerIp, port: containerPort, noDelay: true, allowHalfOpen: true });
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
  server.listen({ host: hostIp, port: hostPort, exclusive: true });
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([e]) => Promise.reject(e as Error))]);
  return server;
}
