// Egress through NAT vs an internal network: a server in an "outside" namespace the test made,
// reachable only through the host's routing. A container on a normal network reaches it and is
// seen masqueraded as the host; one on an internal network cannot, even with a route pointed
// at the gateway, because the host drops what crosses the internal bridge's boundary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createNetworkManager } from '../../../src/network/index.ts';
import { isRoot, makeNetns, probe, serveIn, cleanupStack, sh, tempRoot } from '../../helpers/netns.ts';

// 198.18.0.0/15 is the benchmarking range: never routed on real networks; one /30 per backend.
const k = process.pid % 250;

for (const [backend, o] of [
  ['iptables', 0],
  ['nft', 4],
] as const) {
  test(
    `egress is masqueraded for a normal network and blocked for an internal one (${backend})`,
    { skip: !isRoot() && 'needs root' },
    async (t) => {
      const OUT_NET = `198.18.${k}.${o}/30`;
      const OUT_HOST = `198.18.${k}.${o + 1}`;
      const OUT_SERVER = `198.18.${k}.${o + 2}`;
      const defer = cleanupStack(t);
      const root = await tempRoot(defer, 'egress');
      const outside = await makeNetns(defer, `out-${backend}`);
      const hostEnd = `gto${o}-${process.pid}`.slice(0, 15);
      await sh('ip', ['link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', outside.path]);
      defer(() => sh('ip', ['link', 'del', hostEnd]).catch(() => undefined));
      await sh('ip', ['addr', 'add', `${OUT_HOST}/30`, 'dev', hostEnd]);
      await sh('ip', ['link', 'set', hostEnd, 'up']);
      await sh('ip', ['-n', outside.name, 'addr', 'add', `${OUT_SERVER}/30`, 'dev', 'eth0']);
      await sh('ip', ['-n', outside.name, 'link', 'set', 'eth0', 'up']);
      // A way back for every source, so only the host's own rules can make the internal case fail.
      await sh('ip', ['-n', outside.name, 'route', 'add', 'default', 'via', OUT_HOST]);
      await serveIn(defer, outside.name, ['serve-tcp', OUT_SERVER, '7100', 'outside']);

      const m = createNetworkManager({ root, firewall: backend });
      const open = await m.ensureNetwork({ id: `eg${process.pid}_${backend}_default`, internal: false });
      defer(() => m.removeNetwork(open.id));
      const closed = await m.ensureNetwork({ id: `eg${process.pid}_${backend}_private`, internal: true });
      defer(() => m.removeNetwork(closed.id));
      const a = await makeNetns(defer, `eg-a-${backend}`);
      const i = await makeNetns(defer, `eg-i-${backend}`);
      await m.attach(a.path, open.id, { ifname: 'eth0', defaultRoute: true, owner: 'a' });
      defer(() => m.detach(a.path, open.id));
      await m.attach(i.path, closed.id, { ifname: 'eth0', defaultRoute: true, owner: 'i' });
      defer(() => m.detach(i.path, closed.id));

      assert.equal((await readFile('/proc/sys/net/ipv4/ip_forward', 'utf8')).trim(), '1');
      assert.equal(await probe(a.name, ['ask-tcp', OUT_SERVER, '7100', 'out']), `outside from=${OUT_HOST} got=out`);

      assert.doesNotMatch(await sh('ip', ['-n', i.name, 'route']), /default/, 'internal networks get no default route');
      assert.equal(await probe(i.name, ['ask-tcp', OUT_SERVER, '7100', 'out']), 'error ENETUNREACH');
      // Even a hand-made route through the gateway does not get out: the host drops it.
      await sh('ip', ['-n', i.name, 'route', 'add', OUT_NET, 'via', closed.gateway]);
      assert.equal(await probe(i.name, ['ask-tcp', OUT_SERVER, '7100', 'out']), 'error ETIMEDOUT');
    },
  );
}
