// Helpers of the network attack corpus: the two projects that probe each other (compose text),
// what gantry recorded about their networks, probes run inside a container with busybox, and the
// supervisor's open file descriptors (the UDP proxy's per-client sockets are counted there).
import { readFileSync, readdirSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import type { E2eRoot } from './engine-e2e.ts';

export const IMG = 'gantry-test/busybox:latest';

const httpd = (text: string): string =>
  `["sh", "-c", "mkdir -p /www && echo ${text} > /www/index.html && exec httpd -f -p 8080 -h /www"]`;

// udhcpd is busybox's only UDP listener: it swallows what the proxy sends, so no ICMP
// port-unreachable ends a proxy session early and the flood measures the proxy alone.
const udpSink =
  '["sh", "-c", "printf \'interface eth0\\\\nstart 10.254.0.10\\\\nend 10.254.0.20\\\\nlease_file /tmp/l\\\\n\' > /tmp/u.conf; touch /tmp/l; exec udhcpd -f /tmp/u.conf"]';

/** Project A: front-only, back-only (back is internal) and both; a published TCP and UDP port. */
export function projectA(name: string, pubIp: string, pubPort: number, udpPort: number): string {
  return `name: ${name}
services:
  front:
    image: ${IMG}
    init: true
    networks: [front]
    ports: ["${pubIp}:${pubPort}:8080"]
    command: ${httpd('A-FRONT')}
  back:
    image: ${IMG}
    init: true
    networks: [back]
    command: ${httpd('A-BACK')}
  both:
    image: ${IMG}
    init: true
    networks: [front, back]
    command: ["sleep", "600"]
  udp:
    image: ${IMG}
    init: true
    networks: [front]
    ports: ["127.0.0.1:${udpPort}:67/udp"]
    command: ${udpSink}
networks:
  front: {}
  back:
    internal: true
`;
}

/** Project B: one prober on its own default network. */
export function projectB(name: string): string {
  return `name: ${name}
services:
  probe:
    image: ${IMG}
    init: true
    command: ["sleep", "600"]
`;
}

export interface NetFacts {
  readonly gateway: string;
  readonly subnet: string;
  /** container name → address on this network */
  readonly members: ReadonlyMap<string, string>;
}

interface NetFile {
  gateway: string;
  subnet: string;
  endpoints: { owner: string; address: string }[];
}

/** What gantry recorded for network `<project>_<net>`. */
export function netFacts(root: string, networkId: string): NetFacts {
  const f = JSON.parse(readFileSync(join(root, 'networks', `${networkId}.json`), 'utf8')) as NetFile;
  return {
    gateway: f.gateway,
    subnet: f.subnet,
    members: new Map(f.endpoints.map((e) => [e.owner, e.address.split('/')[0]!])),
  };
}

export function member(n: NetFacts, container: string): string {
  const a = n.members.get(container);
  if (a === undefined) throw new Error(`${container} is not on the network (${[...n.members.keys()].join(', ')})`);
  return a;
}

/** Runs a shell script in the service's container; output and exit code, never throws. */
export async function inService(
  e: E2eRoot,
  dir: string,
  service: string,
  script: string,
): Promise<{ code: number; out: string }> {
  const r = await e.gantry(['exec', '-T', service, 'sh', '-c', script], { cwd: dir, timeoutMs: 60_000 });
  return { code: r.exitCode, out: r.stdout + r.stderr };
}

/**
 * An HTTP GET with busybox nc (its wget crashes in the static build) and a 3 s connect
 * timeout: the response, or "" when nothing answered.
 */
export const fetchScript = (ip: string, port: number, nc = 'nc'): string =>
  `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | ${nc} -w 3 ${ip} ${port} 2>/dev/null; true`;

/** busybox nslookup through one server, short timeout. */
export const lookupScript = (name: string, server: string): string =>
  `nslookup -timeout=2 -retry=1 ${name} ${server} 2>&1; true`;

export function supervisorPid(root: string, project: string): number {
  return Number(
    readFileSync(join(root, 'projects', project, 'supervisor.pid'), 'utf8')
      .trim()
      .split(' ')[0],
  );
}

export const fdCount = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;

/**
 * One datagram from each of `n` distinct client addresses (127.77.x.y, port chosen by the
 * kernel): every one is a new client for the proxy. Sockets are closed right after sending, so
 * the test holds few descriptors itself.
 */
export async function udpFlood(port: number, n: number): Promise<void> {
  const one = (i: number): Promise<void> =>
    new Promise((resolve) => {
      const s = createSocket('udp4');
      s.on('error', () => (s.close(), resolve()));
      s.bind({ address: `127.77.${Math.floor(i / 250)}.${(i % 250) + 1}`, port: 0 }, () => {
        s.send('hello', port, '127.0.0.1', () => (s.close(), resolve()));
      });
    });
  for (let i = 0; i < n; i += 100)
    await Promise.all(Array.from({ length: Math.min(100, n - i) }, (_, k) => one(i + k)));
}
