// Two projects side by side (two state roots, as two gantry checkouts would have), a container
// on two networks (eth0 + eth1, static address, default route via the chosen one, MTU from the
// spec), removal refused while in use, and afterwards the host exactly as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readlink } from 'node:fs/promises';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { createNetworkManager, type NetworkInfo } from '../../../src/network/index.ts';
import { isRoot, makeNetns, cleanupStack, hostSnapshot, leaks, sh, tempRoot } from '../../helpers/netns.ts';

const k = (process.pid % 200) + 20;
const mtuOf = async (dev: string, ns?: string): Promise<number> =>
  (JSON.parse(await sh('ip', [...(ns ? ['-n', ns] : []), '-j', 'link', 'show', 'dev', dev])) as { mtu: number }[])[0]!
    .mtu;

test('two projects coexist and leave the host as they found it', { skip: !isRoot() && 'needs root' }, async (t) => {
  const defer = cleanupStack(t);
  const before = await hostSnapshot();
  const roots = await Promise.all(['shop', 'blog'].map((p) => tempRoot(defer, p)));
  const shop = createNetworkManager({ root: roots[0]! });
  const blog = createNetworkManager({ root: roots[1]! });
  const nets: NetworkInfo[] = [];
  const made = (n: NetworkInfo, m: typeof shop): NetworkInfo => (
    nets.push(n),
    defer(() => m.removeNetwork(n.id).catch(() => undefined)),
    n
  );
  const front = made(await shop.ensureNetwork({ id: `shop${process.pid}_front`, internal: false, mtu: 1400 }), shop);
  const back = made(
    await shop.ensureNetwork({
      id: `shop${process.pid}_back`,
      internal: false,
      ipam: [{ subnet: `10.201.${k}.0/24`, ipRange: `10.201.${k}.128/25`, gateway: `10.201.${k}.254` }],
    }),
    shop,
  );
  const other = made(await blog.ensureNetwork({ id: `blog${process.pid}_default`, internal: false }), blog);
  assert.equal(new Set(nets.map((n) => n.subnet)).size, 3, 'distinct subnets');
  assert.equal(new Set(nets.map((n) => n.bridge)).size, 3, 'distinct bridges');
  assert.equal(back.gateway, `10.201.${k}.254`);
  assert.equal(await mtuOf(front.bridge), 1400);

  const web = await makeNetns(defer, 'lc-web');
  const post = await makeNetns(defer, 'lc-post');
  const e0 = await shop.attach(web.path, front.id, { ifname: 'eth0', defaultRoute: false, owner: 'shop-web-1' });
  const e1 = await shop.attach(web.path, back.id, {
    ifname: 'eth1',
    defaultRoute: true,
    ipv4Address: `10.201.${k}.200`,
    owner: 'shop-web-1',
  });
  const e2 = await blog.attach(post.path, other.id, {
    ifname: 'eth0',
    defaultRoute: true,
    owner: 'blog-post-1',
    macAddress: '02:42:0a:0b:0c:0d',
  });
  assert.match(await sh('ip', ['-n', post.name, '-br', 'link', 'show', 'dev', 'eth0']), /02:42:0a:0b:0c:0d/);
  assert.equal(e1.address, `10.201.${k}.200`);
  assert.equal(await mtuOf('eth0', web.name), 1400);
  assert.match(
    await sh('ip', ['-n', web.name, 'route', 'show', 'default']),
    new RegExp(`^default via 10\\.201\\.${k}\\.254 dev eth1`),
  );
  const third = await shop.attach(post.path, back.id, { ifname: 'eth1', defaultRoute: false, owner: 'blog-post-1' });
  assert.equal(third.address, `10.201.${k}.128`, 'first address of ip_range');
  await assert.rejects(shop.removeNetwork(front.id), new RegExp(`network ${front.id} is still in use by shop-web-1`));

  await shop.detach(post.path, back.id);
  await sh('ip', ['netns', 'del', web.name]); // the container died: its endpoints went with it
  await sh('ip', ['netns', 'del', post.name]);
  for (const n of [front, back]) await shop.removeNetwork(n.id);
  await blog.removeNetwork(other.id);
  assert.deepEqual(await shop.list(), []);
  const names = [
    ...nets.map((n) => n.bridge),
    ...nets.map((n) => n.subnet.split('/')[0]!),
    e0.hostVeth,
    e1.hostVeth,
    e2.hostVeth,
    `gtest-${process.pid}-`,
  ];
  assert.deepEqual(leaks(before, await hostSnapshot(), names), []);
});

test('a failed attach leaves no veth and no endpoint behind', { skip: !isRoot() && 'needs root' }, async (t) => {
  const defer = cleanupStack(t);
  const root = await tempRoot(defer, 'fail');
  const m = createNetworkManager({ root });
  const net = await m.ensureNetwork({ id: `fail${process.pid}_default`, internal: false });
  defer(() => m.removeNetwork(net.id));
  const ns = await makeNetns(defer, 'fail');
  await sh('ip', ['-n', ns.name, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth9']); // the name is taken inside
  await assert.rejects(
    m.attach(ns.path, net.id, { ifname: 'eth0', defaultRoute: true, owner: 'web-1' }),
    /^RuntimeError: network: `ip -batch -` failed: .*File exists/,
  );
  // Other test files change the host meanwhile; what matters is that nothing hangs off our bridge.
  assert.equal(await sh('ip', ['-br', 'link', 'show', 'master', net.bridge]), '');
  assert.deepEqual((await m.list())[0]!.endpoints, []);
});

test('network_mode none: only loopback, up', { skip: !isRoot() && 'needs root' }, async (t) => {
  const defer = cleanupStack(t);
  const ns = await makeNetns(defer, 'none');
  await createNetworkManager({ root: await tempRoot(defer, 'none') }).loopbackOnly(ns.path);
  assert.match(await sh('ip', ['-n', ns.name, '-br', 'link']), /^lo\s+UNKNOWN\s+\S+\s+<LOOPBACK,UP,LOWER_UP>\s*$/);
});

test(
  'a namespace known only as /proc/PID/ns/net (a container process) attaches, and gc frees it once the process dies',
  { skip: !isRoot() && 'needs root' },
  async (t) => {
    const defer = cleanupStack(t);
    const m = createNetworkManager({ root: await tempRoot(defer, 'procns') });
    const net = await m.ensureNetwork({ id: `procns${process.pid}_default`, internal: false });
    defer(() => m.removeNetwork(net.id));
    const holder = spawn('unshare', ['--net', '--', 'sleep', '60'], { stdio: 'ignore' });
    defer(() => holder.kill('SIGKILL'));
    const path = `/proc/${holder.pid}/ns/net`;
    // unshare execs sleep once the namespace exists; wait for that before attaching.
    while ((await readlink(path)) === (await readlink('/proc/self/ns/net'))) await sleep(5);
    const ep = await m.attach(path, net.id, { ifname: 'eth0', defaultRoute: true, owner: 'proc-web-1' });
    assert.match(
      await sh('nsenter', [`--net=${path}`, '--', 'ip', '-br', 'addr', 'show', 'dev', 'eth0']),
      new RegExp(` ${ep.address.replaceAll('.', '\\.')}/`),
    );
    holder.kill('SIGKILL');
    await once(holder, 'exit');
    const report = await m.gc();
    assert.deepEqual(report.endpoints, [`${net.id}: proc-web-1`]);
  },
);
