// A network's teardown goes on once its links and namespaces are gone from the host, not when the
// `ip` that deleted them exits: the kernel answers a link's delete only after an RCU barrier
// (ip-delete-batch.ts). Here an `ip` stand-in runs the real one, then lingers 4 s, as a far longer
// kernel wait would; a failing one shows the links still go, one by one.
// That is the fallback's path, for a shim without the netlink executor (netlink-delete.ts): the
// shim here is one (test/helpers/shim-without-netlink.ts).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNetworkManager } from '../../../src/network/index.ts';
import { bridgeRules, isRoot, makeNetns, cleanupStack, tempRoot } from '../../helpers/netns.ts';
import { useShimWithoutNetlink } from '../../helpers/shim-without-netlink.ts';

useShimWithoutNetlink();

const realIp = (): string => execFileSync('sh', ['-c', 'command -v ip'], { encoding: 'utf8' }).trim();

/** Runs fn with an `ip` of this shell script body first in PATH ($IP is the real one). */
async function withIp<T>(body: string, fn: () => Promise<T>): Promise<T> {
  const bin = mkdtempSync(join(tmpdir(), 'gantry-fake-ip-'));
  writeFileSync(join(bin, 'ip'), `#!/bin/sh\nIP=${realIp()}\n${body}\n`);
  chmodSync(join(bin, 'ip'), 0o755);
  const path = process.env.PATH;
  process.env.PATH = `${bin}:${path}`;
  try {
    return await fn();
  } finally {
    process.env.PATH = path;
    rmSync(bin, { recursive: true, force: true });
  }
}

/** One network with one endpoint in a namespace of its own; the network is expected to go. */
async function attached(t: TestContext, label: string) {
  const defer = cleanupStack(t);
  const m = createNetworkManager({ root: await tempRoot(defer, label) });
  const net = await m.ensureNetwork({ id: `${label}${process.pid}_default`, internal: false });
  defer(() => m.removeNetwork(net.id).catch(() => undefined));
  const ns = await makeNetns(defer, `${label}0`);
  const ep = await m.attach(ns.path, net.id, { ifname: 'eth0', defaultRoute: true, owner: 'c0' });
  m.expectRemoval([net.id]);
  const rules = () => bridgeRules(net.bridge);
  return { m, net, ns, ep, rules };
}

test(
  'the last endpoint leaves with its network once links and namespace are gone, while ip lingers',
  { skip: !isRoot() && 'needs root' },
  async (t) => {
    const { m, net, ns, ep, rules } = await attached(t, 'tdel');
    assert.ok(rules().length > 0);
    const t0 = performance.now();
    await withIp('"$IP" "$@"\ns=$?\nsleep 4\nexit $s', () => m.leave(ns.name, net.id));
    const took = performance.now() - t0;
    assert.ok(took < 3000, `leave waited for ip's exit: ${Math.round(took)} ms`);
    for (const link of [net.bridge, ep.hostVeth]) {
      assert.equal(existsSync(`/sys/class/net/${link}`), false, link);
      assert.doesNotMatch(
        execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }),
        new RegExp(`: ${link}[@:]`),
      );
    }
    assert.equal(existsSync(ns.path), false, 'the namespace went in the same run');
    assert.deepEqual(rules(), []);
    assert.deepEqual(await m.list(), []);
  },
);

test(
  'when the batch fails, each link is deleted alone and the namespace is left to the caller',
  { skip: !isRoot() && 'needs root' },
  async (t) => {
    const { m, net, ns, ep } = await attached(t, 'tdef');
    // the group delete (the teardown's batch) fails as a whole; the lone deletes after it are real
    const failGroup =
      'in=$(cat)\ncase "$in" in *"del group"*) echo "RTNETLINK answers: busy" >&2; exit 2;; esac\n' +
      'printf "%s\\n" "$in" | "$IP" "$@"';
    await withIp(failGroup, () => m.leave(ns.name, net.id));
    for (const link of [net.bridge, ep.hostVeth]) assert.equal(existsSync(`/sys/class/net/${link}`), false, link);
    assert.equal(existsSync(ns.path), true, "the caller's deleteNetns deletes it");
    assert.deepEqual(await m.list(), []);
  },
);
