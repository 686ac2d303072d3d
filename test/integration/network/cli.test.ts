// `gantry network ls | rm | prune` against real bridges in a temporary GANTRY_ROOT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNetworkManager } from '../../../src/network/index.ts';
import { stateDirs } from '../../../src/common/state-root.ts';
import { runGantry } from '../../helpers/cli.ts';
import { isRoot, makeNetns, cleanupStack, tempRoot, sh } from '../../helpers/netns.ts';

test('network ls, rm refused while in use, prune', { skip: !isRoot() && 'needs root' }, async (t) => {
  const defer = cleanupStack(t);
  const root = await tempRoot(defer, 'cli');
  const env = { ...process.env, GANTRY_ROOT: root };
  const m = createNetworkManager({ root: stateDirs(root).networks });
  defer(() => m.prune());
  const used = await m.ensureNetwork({ id: `cli${process.pid}_used`, internal: false });
  const idle = await m.ensureNetwork({ id: `cli${process.pid}_idle`, internal: true });
  const ns = await makeNetns(defer, 'cli');
  await m.attach(ns.path, used.id, { ifname: 'eth0', defaultRoute: true, owner: 'cli-web-1' });

  const ls = await runGantry(['network', 'ls'], { env });
  assert.equal(ls.exitCode, 0, ls.stderr);
  assert.match(ls.stdout, /^NAME\s+BRIDGE\s+SUBNET\s+GATEWAY\s+INTERNAL\s+ENDPOINTS\n/);
  assert.match(
    ls.stdout,
    new RegExp(`cli${process.pid}_used\\s+${used.bridge}\\s+${used.subnet}\\s+${used.gateway}\\s+no\\s+1`),
  );
  const json = JSON.parse((await runGantry(['network', 'ls', '--format', 'json'], { env })).stdout) as { id: string }[];
  assert.deepEqual(json.map((n) => n.id).sort(), [idle.id, used.id].sort());

  const rm = await runGantry(['network', 'rm', used.id], { env });
  assert.equal(rm.exitCode, 1);
  assert.equal(rm.stderr, `network ${used.id} is still in use by cli-web-1; stop or disconnect them first\n`);

  const prune = await runGantry(['network', 'prune'], { env });
  assert.equal(prune.stdout, `${idle.id}\n`);
  await sh('ip', ['netns', 'del', ns.name]);
  assert.equal((await runGantry(['network', 'rm', used.id], { env })).exitCode, 0);
  assert.equal((await runGantry(['network', 'ls', '--format', 'json'], { env })).stdout, '[]\n');
});
