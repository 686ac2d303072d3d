// `container run -p/--publish` and `-P` as docker run reads them: `[IP:][HOST:]CTR[/proto]`, with
// port ranges and `[v6]` addresses; `-P` publishes every EXPOSEd port of the image on a free host
// port. Pure: the ports become the network module's PortSpecs once the container has an address.
import { isIP } from 'node:net';
import { UsageError } from '../../common/errors.ts';
import type { SupervisedPort } from '../../supervisor/contract.ts';

type Proto = SupervisedPort['protocol'];

function portRange(text: string, flag: string): [number, number] {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  const lo = Number(m?.[1]);
  const hi = m?.[2] === undefined ? lo : Number(m[2]);
  if (!m || lo < 1 || hi > 65535 || hi < lo) throw new UsageError(`${flag}: invalid port or range "${text}"`);
  return [lo, hi];
}

/** IP, host part and container part of one value; the IP may be `[v6]` or a bare v4. */
function fields(spec: string, flag: string): { ip: string; host: string; ctr: string } {
  let rest = spec;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']:');
    if (close < 0) throw new UsageError(`${flag}: invalid address in "${spec}"`);
    const ip = rest.slice(1, close);
    rest = rest.slice(close + 2);
    const [host = '', ctr = '', ...more] = rest.split(':');
    if (more.length > 0 || ctr === '') throw new UsageError(`${flag}: invalid value "${spec}"`);
    return { ip, host, ctr };
  }
  const parts = rest.split(':');
  if (parts.length > 3) throw new UsageError(`${flag}: invalid value "${spec}" (use [IP:][HOST:]CTR[/PROTO])`);
  const ctr = parts.pop()!;
  const host = parts.pop() ?? '';
  const ip = parts.pop() ?? '';
  return { ip, host, ctr };
}

/** One `-p` value → its ports (hostPort 0: a free port, fixed later). */
export function parsePublish(value: string): SupervisedPort[] {
  const flag = `-p ${value}`;
  const slash = value.lastIndexOf('/');
  const proto = (slash < 0 ? 'tcp' : value.slice(slash + 1).toLowerCase()) as Proto;
  if (proto !== 'tcp' && proto !== 'udp') throw new UsageError(`${flag}: protocol must be tcp or udp`);
  const { ip, host, ctr } = fields(slash < 0 ? value : value.slice(0, slash), flag);
  if (ip !== '' && isIP(ip) === 0) throw new UsageError(`${flag}: "${ip}" is not an IP address`);
  const [c0, c1] = portRange(ctr, flag);
  const [h0, h1] = host === '' ? [0, 0] : portRange(host, flag);
  const count = c1 - c0 + 1;
  // docker run: one container port with a host range takes the first free one; we take the first.
  if (h0 !== 0 && count > 1 && h1 - h0 + 1 !== count)
    throw new UsageError(`${flag}: host and container ranges differ in length`);
  return Array.from({ length: count }, (_, i) => ({
    hostIp: ip,
    hostPort: h0 === 0 ? 0 : h0 + i,
    containerPort: c0 + i,
    protocol: proto,
  }));
}

/** `-P`: the image's ExposedPorts ("80/tcp", "53/udp") on free host ports of every address. */
export function publishExposed(exposed: readonly string[]): SupervisedPort[] {
  return exposed.flatMap((e) => {
    const [port = '', proto = 'tcp'] = e.split('/');
    if (!/^\d+$/.test(port) || (proto !== 'tcp' && proto !== 'udp')) return []; // sctp: not published
    return [{ hostIp: '', hostPort: 0, containerPort: Number(port), protocol: proto }];
  });
}

/** -p wins over -P for the same container port, as in Docker. */
export function publishedPorts(values: readonly string[], all: boolean, exposed: readonly string[]): SupervisedPort[] {
  const explicit = values.flatMap(parsePublish);
  const key = (p: SupervisedPort) => `${p.containerPort}/${p.protocol}`;
  const taken = new Set(explicit.map(key));
  return [...explicit, ...(all ? publishExposed(exposed).filter((p) => !taken.has(key(p))) : [])];
}
