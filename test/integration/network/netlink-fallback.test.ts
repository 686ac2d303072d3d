// A shim binary without the `netlink` mode (an older build): a network's make, attach and teardown
// each try the executor once, then go through `ip` as before and leave the host as the executor does
// (network/netlink-ops.ts, network/netlink-delete.ts). The probe is remembered: later ones go straight
// to `ip`. The binary is this tree's shim with the mode cut out (test/helpers/shim-without-netlink.ts).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { countingSpawns } from '../../helpers/count-spawns.ts';
import { bridgeRules, makeNetns, hostSnapshot, leaks } from '../../helpers/netns.ts';
import { networkTest } from '../../helpers/network-test.ts';
import { useShimWithoutNetlink } from '../../helpers/shim-without-netlink.ts';

const launcher = (file: string, args: readonly string[]): string =>
  file.endsWith('/gantry-shim') && args[0] === 'netlink'
    ? 'netlink'
    : file === '/bin/sh'
      ? `sh ${args.find((a) => a.startsWith('gantry-')) ?? ''}`
      : file;

useShimWithoutNetlink();

networkTest(
  'without the mode, make, attach and teardown go through `ip` after one probe each and leave nothing',
  'nlfb',
  async ({ defer, before, m }) => {
    const made = await countingSpawns(
      () => m.ensureNetwork({ id: `nlfb${process.pid}_default`, internal: false }),
      launcher,
    );
    const net = made.result;
    const other = await m.ensureNetwork({ id: `nlfb${process.pid}_bare`, internal: true });
    const ns = await makeNetns(defer, 'nlfb0');
    const joined = await countingSpawns(
      () => m.attach(ns.path, net.id, { ifname: 'eth0', defaultRoute: true, owner: 'c0' }),
      launcher,
    );
    m.expectRemoval([net.id]);
    // the bridge and its rules: one probe, then ip and iptables-restore (started together, either first)
    assert.deepEqual([made.spawns[0], ...made.spawns.slice(1).sort()], ['netlink', 'ip', 'iptables-restore']);
    assert.ok(!joined.spawns.includes('netlink'), `the attach probed again: ${joined.spawns.join(', ')}`);
    assert.equal(
      execFileSync('ip', ['-n', ns.name, '-o', 'link', 'show', 'eth0'], { encoding: 'utf8' }).includes('UP'),
      true,
    );

    const leave = await countingSpawns(() => m.leave(ns.name, net.id), launcher);
    const remove = await countingSpawns(() => m.removeNetwork(other.id), launcher);
    assert.deepEqual(leave.spawns, ['netlink', 'sh gantry-ip-delete'], 'the leave: one probe, then the shell');
    assert.deepEqual(remove.spawns, ['sh gantry-ip-delete'], 'the removal: no second probe');

    for (const link of [net.bridge, joined.result.hostVeth, other.bridge])
      assert.equal(existsSync(`/sys/class/net/${link}`), false, link);
    assert.equal(existsSync(ns.path), false, 'the namespace went in the same run');
    assert.deepEqual([...bridgeRules(net.bridge), ...bridgeRules(other.bridge)], []);
    assert.deepEqual(await m.list(), []);
    assert.deepEqual(leaks(before, await hostSnapshot(), [net.bridge, other.bridge]), []);
  },
);
