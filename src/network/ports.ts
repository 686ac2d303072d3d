// Published ports. Mechanism: a userland proxy (node:net / node:dgram) for every published port.
// Why not DNAT (Docker's and netavark's default): 127.0.0.1 then needs route_localnet on the
// bridge plus a masquerade of 127/8 (the CVE-2020-8558 class of exposure), DNAT silently shadows
// a host listener so conflicts need a separate probe anyway, and its rules are more host state
// to leak. The proxy's bound socket *is* the reservation (no probe/bind race), works on
// 127.0.0.1 as users expect; 100 MB through it took 1.35–2.16× the direct time (bench/RESULTS.md).
// Cost: the container sees the proxy's address, not the client's, and a live process (the
// per-project supervisor) must hold the sockets.
import { createServer, isIPv6, type Server } from 'node:net';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { ConfigError, RuntimeError } from '../common/errors.ts';
import { dropConnections, listenTcp } from './proxy-tcp.ts';
import { listenUdp } from './proxy-udp.ts';
import { candidatePorts } from './stable-port.ts';

export interface PortSpec {
  readonly hostIp?: string; // absent or '' = 0.0.0.0 (all host addresses)
  readonly hostPort: number; // 0 = a random free port, reported back
  readonly containerIp: string;
  readonly containerPort: number;
  readonly protocol: 'tcp' | 'udp';
  readonly owner?: string; // service name, for messages
  /** hostPort 0: where the free port is looked for (stable-port.ts); absent: the kernel picks. */
  readonly key?: string;
}

export interface PublishedPort extends Required<Omit<PortSpec, 'owner' | 'key'>> {
  close(): Promise<void>;
}

const hostIpOf = (p: PortSpec): string => (p.hostIp ? p.hostIp : '0.0.0.0');
const where = (p: PortSpec): string =>
  `${p.owner ? `service ${p.owner}: ` : ''}port ${hostIpOf(p)}:${p.hostPort}/${p.protocol}`;

function bindError(p: PortSpec, e: unknown): RuntimeError {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'EADDRINUSE'
      ? 'is already in use'
      : code === 'EACCES'
        ? 'needs privileges'
        : `cannot be bound (${(e as Error).message})`;
  return new RuntimeError(`${where(p)} ${why}`);
}

/** Expands "8000-8002":"80-82" style ranges (host range may be absent → random ports). */
export function expandRange(
  base: Omit<PortSpec, 'hostPort' | 'containerPort'>,
  container: readonly [number, number],
  host?: readonly [number, number],
): readonly PortSpec[] {
  const n = container[1] - container[0] + 1;
  if (n < 1 || (host && host[1] - host[0] + 1 !== n)) {
    throw new ConfigError(
      `ports: host range ${host?.join('-')} and container range ${container.join('-')} differ in size`,
    );
  }
  return Array.from({ length: n }, (_, i) => ({
    ...base,
    containerPort: container[0] + i,
    hostPort: host ? host[0] + i : 0,
  }));
}

/** Binds the port for a moment; resolves with the port bound (the kernel's pick for port 0). */
async function probe(p: PortSpec): Promise<number> {
  const hostIp = hostIpOf(p);
  if (p.protocol === 'tcp') {
    const s: Server = createServer();
    s.listen({ host: hostIp, port: p.hostPort, exclusive: true });
    await Promise.race([once(s, 'listening'), once(s, 'error').then(([e]) => Promise.reject(e as Error))]);
    const port = (s.address() as { port: number }).port;
    await new Promise((r) => s.close(r));
    return port;
  } else {
    const s = createSocket({ type: isIPv6(hostIp) ? 'udp6' : 'udp4' });
    s.bind({ address: hostIp, port: p.hostPort, exclusive: true });
    try {
      await Promise.race([once(s, 'listening'), once(s, 'error').then(([e]) => Promise.reject(e as Error))]);
      return s.address().port;
    } finally {
      s.close();
    }
  }
}

/** A host address, port and protocol, as `taken` holds them. */
export const portSlot = (p: PortSpec, port: number): string => `${p.hostIp ?? ''}:${port}/${p.protocol}`;

/** The first free port from where the key points that no port of this run took (stable-port.ts). */
async function keyedPort(p: PortSpec, key: string, taken: Set<string>): Promise<number> {
  for (const port of candidatePorts(key)) {
    if (taken.has(portSlot(p, port))) continue;
    const free = await probe({ ...p, hostPort: port }).then(
      () => true,
      () => false,
    );
    if (free) return port;
  }
  throw new RuntimeError(`${where(p)}: no free port left in the ephemeral range`);
}

/**
 * Gives every `hostPort: 0` a concrete free port now, so `up` can report it and hand it to the
 * supervisor that binds it later (the short gap is the usual probe-then-bind race, accepted for
 * random ports only; fixed ports are bound exactly as asked). `taken`: slots (portSlot) already
 * given to other containers of the run, which are probed free but not bound yet; filled here.
 */
export async function choosePorts(list: readonly PortSpec[], taken = new Set<string>()): Promise<readonly PortSpec[]> {
  const out: PortSpec[] = [];
  for (const p of list) {
    if (p.hostPort !== 0) {
      out.push(p);
      continue;
    }
    const port =
      p.key === undefined
        ? await probe(p).catch((e: unknown) => Promise.reject(bindError(p, e)))
        : await keyedPort(p, p.key, taken);
    taken.add(portSlot(p, port));
    out.push({ ...p, hostPort: port });
  }
  return out;
}

/** Fails with one error naming every busy port, before anything is started. */
export async function checkPortsFree(list: readonly PortSpec[]): Promise<void> {
  const busy: string[] = [];
  for (const p of list.filter((x) => x.hostPort !== 0)) {
    await probe(p).catch((e: unknown) => busy.push(bindError(p, e).message));
  }
  if (busy.length > 0) throw new RuntimeError(busy.join('; '));
}

export async function publish(p: PortSpec): Promise<PublishedPort> {
  const hostIp = hostIpOf(p);
  try {
    if (p.protocol === 'tcp') {
      const server = await listenTcp(hostIp, p.hostPort, p.containerIp, p.containerPort);
      const port = (server.address() as { port: number }).port;
      const close = () =>
        new Promise<void>((r) => {
          server.close(() => r());
          dropConnections(server);
        });
      return {
        hostIp,
        hostPort: port,
        containerIp: p.containerIp,
        containerPort: p.containerPort,
        protocol: 'tcp',
        close,
      };
    }
    const proxy = await listenUdp(hostIp, p.hostPort, p.containerIp, p.containerPort);
    const port = proxy.socket.address().port;
    return {
      hostIp,
      hostPort: port,
      containerIp: p.containerIp,
      containerPort: p.containerPort,
      protocol: 'udp',
      close: async () => proxy.close(),
    };
  } catch (e) {
    throw bindError(p, e);
  }
}

/** Publishes all or nothing: on the first failure the ones already bound are closed again. */
export async function publishAll(list: readonly PortSpec[]): Promise<readonly PublishedPort[]> {
  const done: PublishedPort[] = [];
  try {
    for (const p of list) done.push(await publish(p));
    return done;
  } catch (e) {
    await Promise.all(done.map((d) => d.close()));
    throw e;
  }
}
