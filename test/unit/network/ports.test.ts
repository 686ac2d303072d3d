// Published ports through the userland proxy on loopback (no root): TCP and UDP relay, random
// port reporting, conflicts found before anything is bound, all-or-nothing publishing, ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Server } from 'node:net';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { publish, publishAll, checkPortsFree, choosePorts, expandRange, portSlot } from '../../../src/network/index.ts';
import { ephemeralRange } from '../../../src/network/stable-port.ts';

async function tcpEcho(): Promise<Server> {
  const s = createServer((c) => c.on('data', (d: Buffer) => c.end(`echo:${d.toString()}`)));
  s.listen({ host: '127.0.0.1', port: 0 });
  await once(s, 'listening');
  return s;
}

async function tcpAsk(port: number, msg: string): Promise<string> {
  const c = connect({ host: '127.0.0.1', port });
  let out = '';
  c.on('data', (d: Buffer) => (out += d.toString()));
  c.end(msg);
  await once(c, 'close');
  return out;
}

const portOf = (s: Server): number => (s.address() as { port: number }).port;

test('TCP on 127.0.0.1 and a random port reaches the backend', async (t) => {
  const backend = await tcpEcho();
  t.after(() => backend.close());
  const p = await publish({
    hostIp: '127.0.0.1',
    hostPort: 0,
    containerIp: '127.0.0.1',
    containerPort: portOf(backend),
    protocol: 'tcp',
  });
  t.after(() => p.close());
  assert.ok(p.hostPort > 0 && p.hostPort !== portOf(backend));
  assert.equal(await tcpAsk(p.hostPort, 'hi'), 'echo:hi');
});

test('UDP relay answers each client on its own session', async (t) => {
  const backend = createSocket('udp4');
  backend.on('message', (m, r) => backend.send(`echo:${m.toString()}`, r.port, r.address));
  backend.bind({ address: '127.0.0.1', port: 0 });
  await once(backend, 'listening');
  t.after(() => backend.close());
  const p = await publish({
    hostIp: '127.0.0.1',
    hostPort: 0,
    containerIp: '127.0.0.1',
    containerPort: backend.address().port,
    protocol: 'udp',
  });
  t.after(() => p.close());
  for (const msg of ['one', 'two']) {
    const c = createSocket('udp4');
    c.send(msg, p.hostPort, '127.0.0.1');
    const [reply] = (await once(c, 'message')) as [Buffer];
    assert.equal(reply.toString(), `echo:${msg}`);
    c.close();
  }
});

test('a busy port is reported with service and port before anything is bound', async (t) => {
  const taken = await tcpEcho();
  t.after(() => taken.close());
  const free = await tcpEcho();
  const freePort = portOf(free);
  await new Promise((r) => free.close(r));
  const list = [
    {
      hostIp: '127.0.0.1',
      hostPort: freePort,
      containerIp: '127.0.0.1',
      containerPort: 1,
      protocol: 'tcp' as const,
      owner: 'api',
    },
    {
      hostIp: '127.0.0.1',
      hostPort: portOf(taken),
      containerIp: '127.0.0.1',
      containerPort: 80,
      protocol: 'tcp' as const,
      owner: 'web',
    },
  ];
  await assert.rejects(
    checkPortsFree(list),
    new RegExp(`^RuntimeError: service web: port 127.0.0.1:${portOf(taken)}/tcp is already in use$`),
  );
  await assert.rejects(publishAll(list), /service web: port .* is already in use/);
  // all or nothing: the first port was released again
  const again = await publish({ ...list[0]!, hostPort: freePort });
  await again.close();
});

test('ranges expand pairwise; mismatched sizes are config errors', () => {
  const base = { hostIp: '127.0.0.1', containerIp: '10.0.0.2', protocol: 'udp' as const };
  assert.deepEqual(
    expandRange(base, [80, 81], [8080, 8081]).map((p) => `${p.hostPort}:${p.containerPort}`),
    ['8080:80', '8081:81'],
  );
  assert.deepEqual(
    expandRange(base, [53, 53]).map((p) => p.hostPort),
    [0],
  );
  assert.throws(() => expandRange(base, [80, 82], [8080, 8081]), /differ in size/);
});

test('choosePorts fixes random ports up front; an empty host IP means all addresses', async (t) => {
  const backend = await tcpEcho();
  t.after(() => backend.close());
  const [chosen, fixed] = await choosePorts([
    { hostIp: '', hostPort: 0, containerIp: '127.0.0.1', containerPort: portOf(backend), protocol: 'tcp' },
    { hostIp: '127.0.0.1', hostPort: 1, containerIp: '127.0.0.1', containerPort: 1, protocol: 'udp' },
  ]);
  assert.ok(chosen!.hostPort > 0);
  assert.equal(fixed!.hostPort, 1, 'fixed ports are left alone');
  const p = await publish(chosen!);
  t.after(() => p.close());
  assert.equal(p.hostIp, '0.0.0.0');
  assert.equal(p.hostPort, chosen!.hostPort);
  assert.equal(await tcpAsk(p.hostPort, 'z'), 'echo:z');
});

test('a keyed random port is the same on every choice while the host does not change', async (t) => {
  const spec = { hostIp: '127.0.0.1', hostPort: 0, containerIp: '', containerPort: 80, protocol: 'tcp' as const };
  const [a] = await choosePorts([{ ...spec, key: 'demo-web-1:80/tcp' }]);
  const [b] = await choosePorts([{ ...spec, key: 'demo-web-1:80/tcp' }]);
  assert.equal(a!.hostPort, b!.hostPort, 'a dry run and the run find the same port');
  const [lo, hi] = ephemeralRange();
  assert.ok(a!.hostPort >= lo && a!.hostPort <= hi, `${a!.hostPort} in ${lo}-${hi}`);
  // Taken by this run for another container, or held on the host: the next free one.
  const taken = new Set([portSlot(spec, a!.hostPort)]);
  const [c] = await choosePorts([{ ...spec, key: 'demo-web-1:80/tcp' }], taken);
  assert.notEqual(c!.hostPort, a!.hostPort);
  assert.ok(taken.has(portSlot(spec, c!.hostPort)), 'the choice is recorded for the rest of the run');
  const holder = createServer().listen({ host: '127.0.0.1', port: a!.hostPort });
  await once(holder, 'listening');
  t.after(() => holder.close());
  const [d] = await choosePorts([{ ...spec, key: 'demo-web-1:80/tcp' }]);
  assert.notEqual(d!.hostPort, a!.hostPort);
});
