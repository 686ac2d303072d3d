// The manager's argument building against a recording host: which batches it sends, in which
// namespace, what it records, and that removal is refused while an endpoint is alive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNetworkManager, type NetHost } from '../../../src/network/index.ts';
import { parsePools } from '../../../src/network/pools.ts';

function recordingHost() {
  const calls: string[] = [];
  const links = new Set<string>(['lo', 'eth0']);
  const host: NetHost = {
    async ipBatch(lines, ns) {
      for (const l of lines) {
        calls.push(`${ns ?? 'host'}: ${l}`);
        const add = /^link add (?:name )?(\S+)/.exec(l);
        const del = /^link del (\S+)/.exec(l);
        if (add && ns === undefined) links.add(add[1]!);
        if (del && ns === undefined) links.delete(del[1]!);
      }
    },
    ipJson: async (args) =>
      args[0] === 'link' ? [...links].map((ifname) => ({ ifname })) : [{ dst: '172.17.0.0/16', dev: 'docker0' }],
    detectFirewall: async () => 'iptables',
    iptablesSave: async () => '',
    iptablesRestore: async (t) => void calls.push(`iptables-restore: ${t.split('\n').length} lines`),
    nft: async () => undefined,
    nftTables: async () => [],
    readSysctl: async () => '0',
    writeSysctl: async (k, v) => void calls.push(`sysctl ${k}=${v}`),
  };
  return { host, calls, links };
}

test('ensure → attach → refuse removal → detach → remove', async (t) => {
  const root = await mkdtemp(join(tmpdir(), `gantry-net-unit-${process.pid}-`));
  t.after(() => rm(root, { recursive: true, force: true }));
  const { host, calls, links } = recordingHost();
  const lockFile = join(root, 'lock');
  const m = createNetworkManager({ root, host, lockFile, pools: parsePools('172.17.0.0/16:16,172.18.0.0/16:24') });
  const net = await m.ensureNetwork({ id: 'shop_back', internal: false, mtu: 1400 });
  assert.equal(net.subnet, '172.18.0.0/24'); // 172.17/16 is routed (docker0)
  assert.deepEqual(calls.slice(0, 3), [
    `host: link add name ${net.bridge} mtu 1400 address 02:42:ac:12:00:01 type bridge`,
    `host: addr add 172.18.0.1/24 dev ${net.bridge}`,
    `host: link set ${net.bridge} up`,
  ]);
  assert.ok(calls.includes('sysctl net.ipv4.ip_forward=1'));
  assert.equal((await readFile(join(root, 'ip_forward.orig'), 'utf8')).trim(), '0');
  assert.deepEqual(await m.ensureNetwork({ id: 'shop_back', internal: false, mtu: 1400 }), net); // idempotent
  await assert.rejects(
    m.ensureNetwork({ id: 'shop_back', internal: true, mtu: 1400 }),
    /^RuntimeError: network shop_back exists with a different configuration \(internal is false, wanted true\); remove it first$/,
  );
  await assert.rejects(
    m.ensureNetwork({ id: 'shop_back', internal: false, mtu: 1400, ipam: [{ subnet: '10.9.0.0/24' }] }),
    /subnet is 172.18.0.0\/24, wanted 10.9.0.0\/24/,
  );
  calls.length = 0;
  const ep = await m.attach('/proc/42/ns/net', 'shop_back', {
    ifname: 'eth1',
    defaultRoute: true,
    owner: 'shop-web-1',
    macAddress: '02:42:ac:11:00:09',
  });
  assert.equal(ep.address, '172.18.0.2');
  assert.deepEqual(calls, [
    `host: link add ${ep.hostVeth} mtu 1400 type veth peer name eth1 mtu 1400 address 02:42:ac:11:00:09 netns /proc/42/ns/net`,
    `host: link set ${ep.hostVeth} master ${net.bridge}`,
    `host: link set ${ep.hostVeth} up`,
    '/proc/42/ns/net: addr add 172.18.0.2/24 dev eth1',
    '/proc/42/ns/net: link set lo up',
    '/proc/42/ns/net: link set eth1 up',
    '/proc/42/ns/net: route replace default via 172.18.0.1 dev eth1',
  ]);
  await assert.rejects(m.removeNetwork('shop_back'), /network shop_back is still in use by shop-web-1/);
  await assert.rejects(
    m.attach('/proc/42/ns/net', 'shop_back', { ifname: 'eth 0', defaultRoute: false }),
    /invalid interface name/,
  );
  await m.detach('/proc/42/ns/net', 'shop_back');
  assert.ok(!links.has(ep.hostVeth));
  await m.removeNetwork('shop_back');
  assert.ok(!links.has(net.bridge));
  assert.deepEqual(await m.list(), []);
  await assert.rejects(m.removeNetwork('shop_back'), /network shop_back not found/);
});

// Issue 15: a bridge that followed its ports' MACs, and a new container with a removed one's
// address but a fresh MAC, left neighbour caches pointing at MACs no longer there for seconds.
test("the bridge's MAC is its own, and an endpoint's MAC follows its address (Docker's 02:42:IPv4)", async (t) => {
  const root = await mkdtemp(join(tmpdir(), `gantry-net-unit-${process.pid}-`));
  t.after(() => rm(root, { recursive: true, force: true }));
  const { host, calls } = recordingHost();
  const m = createNetworkManager({ root, host, lockFile: join(root, 'lock'), pools: parsePools('10.40.0.0/16:24') });
  const net = await m.ensureNetwork({ id: 'p_default', internal: false });
  assert.ok(
    calls.includes(`host: link add name ${net.bridge} address 02:42:0a:28:00:01 type bridge`),
    calls.join('\n'),
  );
  const opts = { ifname: 'eth0', defaultRoute: true, owner: 'p-web-1' };
  const first = await m.attach('/proc/42/ns/net', 'p_default', opts);
  assert.equal(first.address, '10.40.0.2');
  assert.ok(calls.some((l) => l.endsWith('peer name eth0 address 02:42:0a:28:00:02 netns /proc/42/ns/net')));
  await m.detach('/proc/42/ns/net', 'p_default');
  calls.length = 0;
  const again = await m.attach('/proc/43/ns/net', 'p_default', { ...opts, owner: 'p-web-1' });
  assert.equal(again.address, '10.40.0.2', 'the recreated container gets the address back');
  assert.ok(calls.some((l) => l.endsWith('peer name eth0 address 02:42:0a:28:00:02 netns /proc/43/ns/net')));
});

test('internal networks get no default route and no forwarding change', async (t) => {
  const root = await mkdtemp(join(tmpdir(), `gantry-net-unit-${process.pid}-`));
  t.after(() => rm(root, { recursive: true, force: true }));
  const { host, calls } = recordingHost();
  const m = createNetworkManager({ root, host, lockFile: join(root, 'lock') });
  const net = await m.ensureNetwork({ id: 'p_int', internal: true, ipam: [{ subnet: '10.99.0.0/24' }] });
  await m.attach('/run/netns/x', net.id, { ifname: 'eth0', defaultRoute: true, ipv4Address: '10.99.0.50' });
  assert.ok(calls.includes('/run/netns/x: addr add 10.99.0.50/24 dev eth0'));
  assert.ok(!calls.some((c) => c.includes('route replace default') || c.startsWith('sysctl')));
});

test('joins: highest priority first, eth0… in that order, default route on the first non-internal', async () => {
  const { planJoins } = await import('../../../src/network/index.ts');
  assert.deepEqual(
    planJoins([
      { networkId: 'p_back', internal: true, priority: 10 },
      { networkId: 'p_front', internal: false },
      { networkId: 'p_admin', internal: false },
    ]),
    [
      { networkId: 'p_back', ifname: 'eth0', defaultRoute: false },
      { networkId: 'p_admin', ifname: 'eth1', defaultRoute: true },
      { networkId: 'p_front', ifname: 'eth2', defaultRoute: false },
    ],
  );
});

test('inspect finds ready networks only (external networks must exist)', async (t) => {
  const root = await mkdtemp(join(tmpdir(), `gantry-net-unit-${process.pid}-`));
  t.after(() => rm(root, { recursive: true, force: true }));
  const m = createNetworkManager({ root, host: recordingHost().host, lockFile: join(root, 'lock') });
  assert.equal(await m.inspect('other_net'), undefined);
  const net = await m.ensureNetwork({ id: 'other_net', internal: false });
  assert.deepEqual(await m.inspect('other_net'), net);
});

test('no iptables and no nft: a warning, no rules, no forwarding', async (t) => {
  const root = await mkdtemp(join(tmpdir(), `gantry-net-unit-${process.pid}-`));
  t.after(() => rm(root, { recursive: true, force: true }));
  const { host, calls } = recordingHost();
  const warnings: string[] = [];
  const m = createNetworkManager({
    root,
    host: { ...host, detectFirewall: async () => 'none' },
    lockFile: join(root, 'lock'),
    warn: (w) => warnings.push(w),
  });
  await m.ensureNetwork({ id: 'bare_default', internal: false });
  assert.deepEqual(warnings, ['network bare_default: neither iptables nor nft found; containers get no egress']);
  assert.ok(!calls.some((c) => c.startsWith('iptables') || c.startsWith('sysctl')));
});

test("a network made before isolation gets today's rules on its next ensure, once", async (t) => {
  const root = await mkdtemp(join(tmpdir(), `gantry-net-unit-${process.pid}-`));
  t.after(() => rm(root, { recursive: true, force: true }));
  const { host, calls } = recordingHost();
  const m = createNetworkManager({ root, host, lockFile: join(root, 'lock'), pools: parsePools('172.18.0.0/16:24') });
  const net = await m.ensureNetwork({ id: 'old_default', internal: false });
  const file = join(root, 'old_default.json');
  const rec = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  assert.equal(rec['rules'], 2, 'a new network records the rules version it got');
  delete rec['rules']; // what an older gantry wrote
  await writeFile(file, JSON.stringify(rec));
  calls.length = 0;
  assert.deepEqual(await m.ensureNetwork({ id: 'old_default', internal: false }), net);
  assert.equal(calls.length, 1, 'the rules are installed again');
  assert.match(calls[0]!, /^iptables-restore: /);
  assert.equal((JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>)['rules'], 2);
  calls.length = 0;
  await m.ensureNetwork({ id: 'old_default', internal: false });
  assert.deepEqual(calls, [], 'and only once');
});

test('an endpoint whose owner and maker are gone holds no network: removal takes its veth along', async (t) => {
  const root = await mkdtemp(join(tmpdir(), `gantry-net-unit-${process.pid}-`));
  t.after(() => rm(root, { recursive: true, force: true }));
  const { host, calls } = recordingHost();
  const gone = new Set<string>();
  const opts = { root, host, lockFile: join(root, 'lock'), pools: parsePools('172.18.0.0/16:24') };
  const m = createNetworkManager({ ...opts, ownerGone: (owner) => gone.has(owner) });
  await m.ensureNetwork({ id: 'shop_back', internal: false });
  const ep = await m.attach('/proc/self/ns/net', 'shop_back', {
    ifname: 'eth0',
    defaultRoute: true,
    owner: 'shop-web-1',
  });
  gone.add('shop-web-1');
  // Its maker is this process, alive: it may be between its attach and its container's create.
  await assert.rejects(m.removeNetwork('shop_back'), /still in use by shop-web-1/);
  // Made by a process that is gone (beyond pid_max: never alive), as a finished `up` is.
  const file = join(root, 'shop_back.json');
  const rec = JSON.parse(await readFile(file, 'utf8')) as { endpoints: { pid: number }[] };
  rec.endpoints[0]!.pid = 4_194_305;
  await writeFile(file, JSON.stringify(rec));
  const without = createNetworkManager(opts);
  await assert.rejects(without.removeNetwork('shop_back'), /still in use by shop-web-1/, 'no ownerGone: live');
  calls.length = 0;
  await m.removeNetwork('shop_back');
  // Deleted in the network's one group delete, with the bridge.
  assert.ok(
    calls.some((c) => c.startsWith(`host: link set dev ${ep.hostVeth} group `)),
    `the stale veth went with the network: ${calls.join('; ')}`,
  );
  assert.deepEqual(await m.list(), []);
});
