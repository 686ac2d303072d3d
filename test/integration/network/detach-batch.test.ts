// Detaches that arrive together (`down` removing many containers at once) share one lock turn:
// every endpoint's veth goes and the network's record loses exactly those endpoints.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createNetworkManager } from '../../../src/network/index.ts';
import { bridgeRules, isRoot, makeNetns, cleanupStack, tempRoot } from '../../helpers/netns.ts';

/** A manager on its own state root with one network, both gone when the test ends. */
async function oneNetwork(t: TestContext, label: string) {
  const defer = cleanupStack(t);
  const m = createNetworkManager({ root: await tempRoot(defer, label) });
  const net = await m.ensureNetwork({ id: `${label}${process.pid}_default`, internal: false });
  defer(() => m.removeNetwork(net.id).catch(() => undefined));
  return { defer, m, net };
}

test(
  'concurrent detaches from one network all take effect, others stay attached',
  { skip: !isRoot() && 'needs root' },
  async (t) => {
    const { defer, m, net } = await oneNetwork(t, 'detb');
    const spaces = await Promise.all([0, 1, 2, 3, 4].map((i) => makeNetns(defer, `detb${i}`)));
    const eps = [];
    for (const [i, ns] of spaces.entries())
      eps.push(await m.attach(ns.path, net.id, { ifname: 'eth0', defaultRoute: true, owner: `c${i}` }));
    await Promise.all(spaces.slice(0, 4).map((ns) => m.detach(ns.path, net.id)));
    for (const ep of eps.slice(0, 4)) assert.equal(existsSync(`/sys/class/net/${ep.hostVeth}`), false, ep.hostVeth);
    assert.equal(existsSync(`/sys/class/net/${eps[4]!.hostVeth}`), true);
    // the shared delete takes the peers inside the namespaces along, and nothing outside the batch
    for (const ns of spaces.slice(0, 4))
      assert.doesNotMatch(execFileSync('ip', ['-n', ns.name, '-o', 'link'], { encoding: 'utf8' }), /eth0/);
    assert.match(execFileSync('ip', ['-n', spaces[4]!.name, '-o', 'link'], { encoding: 'utf8' }), /eth0/);
    assert.equal(existsSync(`/sys/class/net/${net.bridge}`), true);
    assert.deepEqual(
      (await m.list())[0]!.endpoints.map((e) => e.owner),
      ['c4'],
    );
    await m.detach(spaces[4]!.path, net.id);
    assert.deepEqual((await m.list())[0]!.endpoints, []);
  },
);

test(
  'a network expected to go leaves with its last endpoints: bridge, rules and record in that detach',
  { skip: !isRoot() && 'needs root' },
  async (t) => {
    const { defer, m, net } = await oneNetwork(t, 'detx');
    const rules = () => bridgeRules(net.bridge);
    assert.ok(rules().length > 0, 'the network has NAT rules');
    const spaces = await Promise.all([0, 1, 2].map((i) => makeNetns(defer, `detx${i}`)));
    const eps = [];
    for (const [i, ns] of spaces.entries())
      eps.push(await m.attach(ns.path, net.id, { ifname: 'eth0', defaultRoute: true, owner: `c${i}` }));
    m.expectRemoval([net.id]);
    // not the last ones: the network stays, as without the hint
    await m.detach(spaces[0]!.path, net.id);
    assert.equal(existsSync(`/sys/class/net/${net.bridge}`), true);
    assert.deepEqual(
      (await m.list())[0]!.endpoints.map((e) => e.owner),
      ['c1', 'c2'],
    );
    // the last ones, together: everything of the network goes in that detach
    await Promise.all(spaces.slice(1).map((ns) => m.detach(ns.path, net.id)));
    for (const ep of eps) assert.equal(existsSync(`/sys/class/net/${ep.hostVeth}`), false, ep.hostVeth);
    assert.equal(existsSync(`/sys/class/net/${net.bridge}`), false, 'bridge gone with the veths');
    assert.deepEqual(rules(), []);
    assert.deepEqual(await m.list(), []);
    await m.removeNetwork(net.id); // finds it done
    await assert.rejects(m.removeNetwork(net.id), /not found/, 'a second removal is an error again');
  },
);

test('without the hint the last detach keeps the network', { skip: !isRoot() && 'needs root' }, async (t) => {
  const { defer, m, net } = await oneNetwork(t, 'dety');
  const ns = await makeNetns(defer, 'dety0');
  await m.attach(ns.path, net.id, { ifname: 'eth0', defaultRoute: true, owner: 'c0' });
  await m.detach(ns.path, net.id);
  assert.equal(existsSync(`/sys/class/net/${net.bridge}`), true);
  assert.equal((await m.list()).length, 1);
  await m.removeNetwork(net.id);
  assert.equal(existsSync(`/sys/class/net/${net.bridge}`), false);
});
