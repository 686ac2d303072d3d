// A shim with the netlink mode but without `--rules` (an nl11 build): a network's make asks for its
// bridge and rules from one child once, is turned down (the shim names `--rules` as the bad op), and
// then still makes the bridge through the executor, with iptables-restore beside it; the next make
// does not ask again (network/netlink-ops.ts, netlink-make.ts). The host is left as it was.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { countingSpawns, netlinkLauncher } from '../../helpers/count-spawns.ts';
import { bridgeRules, hostSnapshot, leaks } from '../../helpers/netns.ts';
import { networkTest } from '../../helpers/network-test.ts';
import { useShimWithoutNetlink } from '../../helpers/shim-without-netlink.ts';

useShimWithoutNetlink('rules');

networkTest(
  'without --rules, a make probes once and still makes its bridge by the executor',
  'nlnr',
  async ({ before, m }) => {
    const first = await countingSpawns(
      () => m.ensureNetwork({ id: `nlnr${process.pid}_a`, internal: false }),
      netlinkLauncher,
    );
    const second = await countingSpawns(
      () => m.ensureNetwork({ id: `nlnr${process.pid}_b`, internal: false }),
      netlinkLauncher,
    );
    // after the probe, the bridge's executor run and iptables-restore start together (either first)
    assert.deepEqual(
      [first.spawns[0], ...first.spawns.slice(1).sort()],
      ['netlink --rules', 'iptables-restore', 'netlink'],
    );
    assert.deepEqual(second.spawns.sort(), ['iptables-restore', 'netlink'], 'no second probe');
    for (const net of [first.result, second.result]) {
      assert.equal(existsSync(`/sys/class/net/${net.bridge}`), true, net.bridge);
      assert.ok(
        bridgeRules(net.bridge).some((l) => l.startsWith('-A FORWARD')),
        net.bridge,
      );
    }

    await m.removeNetwork(first.result.id);
    await m.removeNetwork(second.result.id);
    assert.deepEqual([...bridgeRules(first.result.bridge), ...bridgeRules(second.result.bridge)], []);
    assert.deepEqual(leaks(before, await hostSnapshot(), [first.result.bridge, second.result.bridge]), []);
  },
);
