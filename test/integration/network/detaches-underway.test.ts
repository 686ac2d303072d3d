// detachesUnderway (down13): resolves once the detaches asked for so far have their child running,
// before they settle, so a down removes the containers' files while the kernel finishes the deletes.
// Checked on the process itself: when it resolves, the leave or detach is still pending and its
// child (the netlink executor) is this process's child. Nothing pending: it resolves at once.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNetworkManager, parsePools } from '../../../src/network/index.ts';
import { makeNetns } from '../../helpers/netns.ts';
import { networkTest } from '../../helpers/network-test.ts';

/** This process's children (of its main thread, which spawns) by their command name. */
const childNames = (): string[] =>
  readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8')
    .trim()
    .split(' ')
    .filter((p) => p !== '')
    .map((p) => readFileSync(`/proc/${p}/comm`, 'utf8').trim());

/** Whether `p` has settled by now (after the microtasks already queued). */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  await Promise.resolve();
  return done;
}

networkTest(
  "a network's last leave is under way once its child runs, before it settles",
  'dun',
  async ({ defer, root }) => {
    // Its own lock (and so its own pool): waiting for another test's hold of the host-wide lock
    // would count as under way (detachesUnderway's contended case) before any child ran.
    const m = createNetworkManager({ root, lockFile: join(root, 'lock'), pools: parsePools('10.231.0.0/16:24') });
    defer(() => m.gc());
    const net = await m.ensureNetwork({ id: `dun${process.pid}_default`, internal: false });
    const spaces = await Promise.all([0, 1].map((i) => makeNetns(defer, `dun${i}`)));
    for (const [i, ns] of spaces.entries())
      await m.attach(ns.path, net.id, { ifname: 'eth0', defaultRoute: true, owner: `c${i}` });
    await m.detachesUnderway(); // nothing asked for: at once
    m.expectRemoval([net.id]);

    const first = m.detach(spaces[0]!.path, net.id); // not the last: its veth only
    await m.detachesUnderway();
    assert.equal(await settled(first), false, 'the detach is still running');
    assert.ok(childNames().includes('gantry-shim'), `its child runs: ${childNames().join(' ')}`);
    await first;

    const last = m.leave(spaces[1]!.name, net.id); // the last: veth, bridge, rules and namespace
    await m.detachesUnderway();
    assert.equal(await settled(last), false, 'the leave is still running');
    assert.ok(childNames().includes('gantry-shim'), `its child runs: ${childNames().join(' ')}`);
    await last;
    assert.deepEqual(await m.list(), []);
  },
);
