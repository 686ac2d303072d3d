// UDP side of the userland port proxy: one connected socket toward the container per client
// address, so replies find their way back; sessions end after an idle timeout, as conntrack's.
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { isIPv6 } from 'node:net';

const IDLE_MS = 30_000;

export interface UdpProxy {
  readonly socket: Socket;
  close(): void;
}

export async function listenUdp(hostIp: string, hostPort: number, containerIp: string, containerPort: number): Promise<UdpProxy> {
  const front = createSocket({ type: isIPv6(hostIp) ? 'udp6' : 'udp4' });
  const sessions = new Map<string, { sock: Socket; timer: NodeJS.Timeout; ready: Promise<unknown> }>();
  const end = (key: string): void => {
    const s = sessions.get(key);
    if (!s) return;
    clearTimeout(s.timer);
    s.sock.close();
    sessions.delete(key);
  };
  front.on('message', (msg, from) => {
    const key = `${from.address}:${from.port}`;
    let s = sessions.get(key);
    if (!s) {
      const sock = createSocket(isIPv6(containerIp) ? 'udp6' : 'udp4');
      sock.on('message', (reply) => front.send(reply, from.port, from.address));
      sock.on('error', () => end(key));
      const ready = once(sock, 'connect');
      sock.connect(containerPort, containerIp);
      s = { sock, timer: setTimeout(() => end(key), IDLE_MS), ready };
      sessions.set(key, s);
    }
    s.timer.refresh();
    const session = s;
    session.ready.then(() => session.sock.send(msg), () => end(key));
  });
  front.on('error', () => undefined);
  front.bind({ address: hostIp, port: hostPort, exclusive: true });
  await Promise.race([once(front, 'listening'), once(front, 'error').then(([e]) => Promise.reject(e as Error))]);
  return {
    socket: front,
    close() {
      for (const key of [...sessions.keys()]) end(key);
      front.close();
    },
  };
}
