// Leftovers of a gantry killed mid-operation (SIGKILL while holding the lock, after a kernel
// object exists) are found and removed by the next process's gc, and its stale lock taken over.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readRecord } from '../../../src/network/store.ts';
import { makeNetns, hostSnapshot, leaks, sh } from '../../helpers/netns.ts';
import { networkTest } from '../../helpers/network-test.ts';

const CRASH = fileURLToPath(new URL('../../helpers/netns-crash.ts', import.meta.url));

function crash(args: readonly string[]): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', CRASH, ...args], {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
    });
    child.on('exit', (_code, signal) => resolve(signal));
  });
}

const links = async (): Promise<string> => sh('ip', ['-br', 'link']);

networkTest(
  'gc removes a half-made network and a half-made endpoint of killed processes',
  'gc',
  async ({ defer, before, root, m }) => {
    const half = `gc${process.pid}_half`;
    assert.equal(await crash([root, 'network', half]), 'SIGKILL');
    const rec = await readRecord(root, half);
    assert.equal(rec?.state, 'creating');
    assert.match(await links(), new RegExp(rec!.bridge), 'the bridge was left behind');
    let report = await m.gc();
    assert.deepEqual(report.networks, [half]);
    assert.doesNotMatch(await links(), new RegExp(rec!.bridge));
    assert.equal(await readRecord(root, half), undefined);

    const ns = await makeNetns(defer, 'gc');
    const full = `gc${process.pid}_full`;
    defer(() => m.removeNetwork(full).catch(() => undefined)); // only if the test stopped early
    assert.equal(await crash([root, 'attach', full, ns.path]), 'SIGKILL');
    const fullRec = (await readRecord(root, full))!;
    const ep = fullRec.endpoints[0]!;
    assert.equal(ep.state, 'attaching');
    assert.match(await links(), new RegExp(ep.hostVeth));
    report = await m.gc();
    assert.deepEqual(report.endpoints, [`${full}: doomed`]);
    assert.doesNotMatch(await links(), new RegExp(ep.hostVeth));
    assert.deepEqual((await readRecord(root, full))!.endpoints, []);
    // The address is free again: the next endpoint gets the same one.
    const again = await m.attach(ns.path, full, { ifname: 'eth0', defaultRoute: true });
    assert.equal(again.address, ep.address);
    await m.detach(ns.path, full);
    await m.removeNetwork(full);
    assert.deepEqual(leaks(before, await hostSnapshot(), [rec!.bridge, fullRec.bridge, ep.hostVeth]), []);
  },
);
