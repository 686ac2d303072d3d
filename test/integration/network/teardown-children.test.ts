// A network's teardown forks the CLI once: its rules' removal and its links' (and last namespaces')
// delete start from one child, the shim's netlink executor, whose own child is iptables-restore
// (network/teardown-children.ts, netlink-delete.ts; issue 20). No shell and no `ip`: the shell path
// (sh backgrounding `ip`, then becoming iptables-restore) is the fallback (netlink-fallback.test.ts). Counted for both teardowns a down runs: the last
// endpoint's leave (veth, bridge, namespace) and a network removed with no endpoint (bridge only).
// The host is left as it was, rules included; a rules removal that fails still falls back.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { countingSpawns, netlinkLauncher } from '../../helpers/count-spawns.ts';
import { bridgeRules, makeNetns, hostSnapshot, leaks } from '../../helpers/netns.ts';
import { networkTest } from '../../helpers/network-test.ts';

networkTest(
  'a teardown runs its rules and links from one child and leaves the host as it was',
  'tch',
  async ({ defer, before, m }) => {
    const [withEp, bare] = [`tch${process.pid}_default`, `tch${process.pid}_bare`];
    const net = await m.ensureNetwork({ id: withEp, internal: false });
    const other = await m.ensureNetwork({ id: bare, internal: true });
    const ns = await makeNetns(defer, 'tch0');
    const ep = await m.attach(ns.path, net.id, { ifname: 'eth0', defaultRoute: true, owner: 'c0' });
    m.expectRemoval([net.id]);
    assert.ok(bridgeRules(net.bridge).length > 0 && bridgeRules(other.bridge).length > 0);

    const leave = await countingSpawns(() => m.leave(ns.name, net.id), netlinkLauncher);
    const remove = await countingSpawns(() => m.removeNetwork(other.id), netlinkLauncher);
    assert.deepEqual(leave.spawns, ['netlink --rules'], 'the leave: one child for rules, veth, bridge and namespace');
    assert.deepEqual(remove.spawns, ['netlink --rules'], 'the removal: one child for rules and bridge');

    for (const link of [net.bridge, ep.hostVeth, other.bridge])
      assert.equal(existsSync(`/sys/class/net/${link}`), false, link);
    assert.equal(existsSync(ns.path), false, 'the namespace went in the same run');
    assert.deepEqual([...bridgeRules(net.bridge), ...bridgeRules(other.bridge)], []);
    assert.deepEqual(await m.list(), []);
    assert.deepEqual(leaks(before, await hostSnapshot(), [net.bridge, other.bridge]), []);
  },
);

networkTest(
  "when the known rules' removal fails in that child, the rules are read and removed after all",
  'tcf',
  async ({ before, m }) => {
    const net = await m.ensureNetwork({ id: `tcf${process.pid}_default`, internal: false });
    // One of the known chains gone already (removed by hand): the known removal fails as a whole.
    const fwd = bridgeRules(net.bridge).find((l) => l.startsWith('-A FORWARD'))!;
    execFileSync('iptables', [
      '-D',
      ...fwd
        .slice(3)
        .split(' ')
        .map((w) => w.replaceAll('"', '')),
    ]);
    const { spawns } = await countingSpawns(() => m.removeNetwork(net.id), netlinkLauncher);
    assert.deepEqual(spawns, ['netlink --rules', 'iptables-save', 'iptables-restore'], 'one child, then the fallback');
    assert.deepEqual(bridgeRules(net.bridge), []);
    assert.equal(existsSync(`/sys/class/net/${net.bridge}`), false);
    assert.deepEqual(leaks(before, await hostSnapshot(), [net.bridge]), []);
  },
);
