// Published ports from the host into a namespace: 127.0.0.1 on a fixed and on a random port,
// all addresses reached through 127.0.0.1, UDP; and a conflict that fails before anything
// (ports, bridges, rules) is created.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect } from 'node:net';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { createNetworkManager, publishAll, checkPortsFree, type PortSpec } from '../../../src/network/index.ts';
import { bridgeName } from '../../../src/network/names.ts';
import { isRoot, makeNetns, serveIn, probe, cleanupStack, hostSnapshot, leaks, tempRoot } from '../../helpers/netns.ts';

async function askTcp(host: string, port: number, msg: string): Promise<string> {
  const c = connect({ host, port });
  let out = '';
  c.on('data', (d: Buffer) => (out += d.toString()));
  c.write(msg);
  await once(c, 'close');
  return out;
}

async function freePort(): Promise<number> {
  const s = createServer().listen({ host: '127.0.0.1', port: 0 });
  await once(s, 'listening');
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

test('published ports reach a server inside a namespace', { skip: !isRoot() && 'needs root' }, async (t) => {
  const defer = cleanupStack(t);
  const root = await tempRoot(defer, 'ports');
  const m = createNetworkManager({ root });
  const net = await m.ensureNetwork({ id: `pp${process.pid}_default`, internal: false });
  defer(() => m.removeNetwork(net.id));
  const b = await makeNetns(defer, 'pp-b');
  const { address } = await m.attach(b.path, net.id, { ifname: 'eth0', defaultRoute: true, owner: 'web' });
  defer(() => m.detach(b.path, net.id));
  await serveIn(defer, b.name, ['serve-tcp', address, '80', 'web']);
  await serveIn(defer, b.name, ['serve-udp', address, '53', 'dns']);

  const fixed = await freePort();
  const specs: PortSpec[] = [
    { hostIp: '127.0.0.1', hostPort: fixed, containerIp: address, containerPort: 80, protocol: 'tcp' },
    { hostIp: '127.0.0.1', hostPort: 0, containerIp: address, containerPort: 80, protocol: 'tcp' },
    { hostPort: 0, containerIp: address, containerPort: 80, protocol: 'tcp' }, // all host addresses
    { hostIp: '127.0.0.1', hostPort: 0, containerIp: address, containerPort: 53, protocol: 'udp' },
  ];
  await checkPortsFree(specs);
  const ports = await publishAll(specs);
  defer(() => Promise.all(ports.map((p) => p.close())));
  const [p1, p2, p3, p4] = ports;
  assert.equal(p1!.hostPort, fixed);
  assert.ok(p2!.hostPort > 0 && p3!.hostPort > 0 && p4!.hostPort > 0);
  assert.match(await askTcp('127.0.0.1', p1!.hostPort, 'a'), /^web from=\S+ got=a$/);
  assert.match(await askTcp('127.0.0.1', p2!.hostPort, 'b'), /^web from=\S+ got=b$/);
  assert.match(await askTcp('127.0.0.1', p3!.hostPort, 'c'), /^web from=\S+ got=c$/);
  // Hairpin: the container reaches its own port published on all addresses through the gateway.
  assert.equal(
    await probe(b.name, ['ask-tcp', net.gateway, String(p3!.hostPort), 'd']),
    `web from=${net.gateway} got=d`,
  );
  const u = createSocket('udp4');
  defer(() => u.close());
  u.send('q', p4!.hostPort, '127.0.0.1');
  const [reply] = (await once(u, 'message')) as [Buffer];
  assert.match(reply.toString(), /^dns from=\S+ got=q$/);
});

test(
  'a port conflict fails cleanly before any network object exists',
  { skip: !isRoot() && 'needs root' },
  async (t) => {
    const defer = cleanupStack(t);
    const root = await tempRoot(defer, 'conflict');
    const squatter = createServer().listen({ host: '127.0.0.1', port: 0 });
    await once(squatter, 'listening');
    defer(() => new Promise((r) => squatter.close(r)));
    const busy = (squatter.address() as { port: number }).port;
    const before = await hostSnapshot();
    const m = createNetworkManager({ root });
    // The engine's order: check every port, then create networks and endpoints.
    const up = async (): Promise<void> => {
      await checkPortsFree([
        {
          hostIp: '127.0.0.1',
          hostPort: busy,
          containerIp: '10.0.0.2',
          containerPort: 80,
          protocol: 'tcp',
          owner: 'web',
        },
      ]);
      await m.ensureNetwork({ id: `pc${process.pid}_default`, internal: false });
    };
    await assert.rejects(up(), new RegExp(`^RuntimeError: service web: port 127.0.0.1:${busy}/tcp is already in use$`));
    assert.deepEqual(await m.list(), []);
    // Other test files may change the host meanwhile; the bridge this network would get is known.
    assert.deepEqual(leaks(before, await hostSnapshot(), [bridgeName(root, `pc${process.pid}_default`)]), []);
  },
);
