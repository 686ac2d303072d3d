// Creating a network runs one child: the shim's netlink executor makes the bridge while its own
// child, iptables-restore, installs the rules (network/make-children.ts, netlink-make.ts); routes come
// from /proc/net/fib_trie and the rules are not read first. Chains an interrupted run left for the
// same bridge still end up there exactly once: that child's rules fail as a whole, and the leftovers
// are read, removed and the rules applied again (issue 20).
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chainNames } from '../../../src/network/names.ts';
import { countingSpawns } from '../../helpers/count-spawns.ts';
import { hostSnapshot, leaks, sh } from '../../helpers/netns.ts';
import { networkTest } from '../../helpers/network-test.ts';

const count = (text: string, line: string): number => text.split('\n').filter((l) => l === line).length;

const launcher = (file: string, args: readonly string[]): string =>
  file.endsWith('/gantry-shim') && args[0] === 'netlink'
    ? `netlink${args[1] === '--rules' ? ' --rules' : ''}`
    : [file, ...args].join(' ');

networkTest(
  'a network is made with one child, and over leftover chains its rules are there once',
  'children',
  async ({ defer, before, m }) => {
    const id = `ch${process.pid}_default`;
    defer(() => m.removeNetwork(id).catch(() => m.gc()));

    const { result: net, spawns } = await countingSpawns(() => m.ensureNetwork({ id, internal: false }), launcher);
    // the bridge's batch through the shim's netlink executor (native/netlink.h), no `ip`; the rules by its child
    assert.deepEqual(spawns, ['netlink --rules']);
    assert.equal(existsSync(`/sys/class/net/${net.bridge}`), true);
    await m.removeNetwork(id);

    // What a run killed between its rules and its record's removal leaves: a chain and its jump.
    const c = chainNames(net.bridge);
    await sh('iptables', ['-N', c.forward]);
    await sh('iptables', ['-I', 'FORWARD', '1', '-m', 'comment', '--comment', c.comment, '-j', c.forward]);
    const { result: again, spawns: over } = await countingSpawns(
      () => m.ensureNetwork({ id, internal: false }),
      launcher,
    );
    assert.deepEqual(
      over,
      ['netlink --rules', 'iptables-save', 'iptables-restore -w --noflush', 'iptables-restore -w --noflush'],
      'one child, then the leftovers read and removed, and the rules again',
    );
    assert.equal(again.bridge, net.bridge, 'the same bridge name, so the leftovers are in the way');
    const save = await sh('iptables-save', ['-t', 'filter']);
    const jump = `-A FORWARD -m comment --comment "${c.comment}" -j ${c.forward}`;
    assert.equal(count(save, jump), 1, save);
    assert.equal(count(save, `-A ${c.forward} -i ${net.bridge} -o ${net.bridge} -j ACCEPT`), 1, save);
    await m.removeNetwork(id);
    assert.deepEqual(leaks(before, await hostSnapshot(), [net.bridge]), []);
  },
);

networkTest(
  'rules that fail in that child and again alone: the same error, and the half-made network is gone',
  'chf',
  async ({ defer, before, root, m }) => {
    // An iptables-restore that turns every batch down, first on PATH (the shim's child finds it too).
    const bin = join(root, 'bin');
    mkdirSync(bin);
    const fake = join(bin, 'iptables-restore');
    writeFileSync(fake, '#!/bin/sh\ncat >/dev/null\necho "iptables-restore: line 3 failed" >&2\nexit 1\n');
    chmodSync(fake, 0o755);
    const path = process.env.PATH;
    const restorePath = (): void => void (process.env.PATH = path);
    defer(restorePath);
    process.env.PATH = `${bin}:${path}`;

    const id = `chf${process.pid}_default`;
    const tried = await countingSpawns(
      () =>
        m.ensureNetwork({ id, internal: false }).then(
          () => undefined,
          (e: unknown) => e,
        ),
      launcher,
    );
    restorePath();
    assert.ok(tried.result instanceof Error);
    assert.equal(
      tried.result.message,
      'network: `iptables-restore -w --noflush` failed: iptables-restore: line 3 failed',
    );
    assert.deepEqual(
      tried.spawns.slice(0, 3),
      ['netlink --rules', 'iptables-save', 'iptables-restore -w --noflush'],
      'one child, then the leftovers looked for and the rules tried alone',
    );
    assert.deepEqual(await m.list(), []);
    assert.deepEqual(leaks(before, await hostSnapshot(), []), []);
  },
);
