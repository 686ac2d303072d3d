// Creating a network runs two children (the bridge's batch and one iptables-restore, at the
// same time), not four: routes come from /proc/net/fib_trie and the rules are not read first. Chains
// an interrupted run left for the same bridge still end up there exactly once (issue 20).
import assert from 'node:assert/strict';
import { chainNames } from '../../../src/network/names.ts';
import { countingSpawns } from '../../helpers/count-spawns.ts';
import { hostSnapshot, leaks, sh } from '../../helpers/netns.ts';
import { networkTest } from '../../helpers/network-test.ts';

const count = (text: string, line: string): number => text.split('\n').filter((l) => l === line).length;

networkTest(
  'a network is made with two children, and over leftover chains its rules are there once',
  'children',
  async ({ defer, before, m }) => {
    const id = `ch${process.pid}_default`;
    defer(() => m.removeNetwork(id).catch(() => m.gc()));

    const { result: net, spawns } = await countingSpawns(
      () => m.ensureNetwork({ id, internal: false }),
      (file, args) => (file.endsWith('/gantry-shim') && args[0] === 'netlink' ? 'netlink' : [file, ...args].join(' ')),
    );
    // the bridge's batch goes through the shim's netlink executor (native/netlink.h), no `ip`
    assert.deepEqual(spawns.sort(), ['iptables-restore -w --noflush', 'netlink']);
    await m.removeNetwork(id);

    // What a run killed between its rules and its record's removal leaves: a chain and its jump.
    const c = chainNames(net.bridge);
    await sh('iptables', ['-N', c.forward]);
    await sh('iptables', ['-I', 'FORWARD', '1', '-m', 'comment', '--comment', c.comment, '-j', c.forward]);
    const again = await m.ensureNetwork({ id, internal: false });
    assert.equal(again.bridge, net.bridge, 'the same bridge name, so the leftovers are in the way');
    const save = await sh('iptables-save', ['-t', 'filter']);
    const jump = `-A FORWARD -m comment --comment "${c.comment}" -j ${c.forward}`;
    assert.equal(count(save, jump), 1, save);
    assert.equal(count(save, `-A ${c.forward} -i ${net.bridge} -o ${net.bridge} -j ACCEPT`), 1, save);
    await m.removeNetwork(id);
    assert.deepEqual(leaks(before, await hostSnapshot(), [net.bridge]), []);
  },
);
