// Docker's FORWARD DROP policy (pitfall 12): egress still works through gantry's own FORWARD
// accepts, and stops when they are taken away. Runs in a namespace playing the host, so the
// real host's policy is never changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { isRoot, makeNetns, serveIn, cleanupStack, tempRoot, sh } from '../../helpers/netns.ts';

const run = promisify(execFile);
const SCENARIO = fileURLToPath(new URL('../../helpers/netns-scenario.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../..', import.meta.url));

test('egress under a FORWARD DROP policy', { skip: !isRoot() && 'needs root' }, async (t) => {
  const defer = cleanupStack(t);
  const root = await tempRoot(defer, 'fwddrop');
  const host = await makeNetns(defer, 'fd-host');
  const outside = await makeNetns(defer, 'fd-out');
  await sh('ip', ['-n', host.name, 'link', 'set', 'lo', 'up']);
  await sh('ip', [
    '-n',
    host.name,
    'link',
    'add',
    'uplink',
    'type',
    'veth',
    'peer',
    'name',
    'eth0',
    'netns',
    outside.path,
  ]);
  await sh('ip', ['-n', host.name, 'addr', 'add', '198.19.0.1/30', 'dev', 'uplink']);
  await sh('ip', ['-n', host.name, 'link', 'set', 'uplink', 'up']);
  await sh('ip', ['-n', outside.name, 'addr', 'add', '198.19.0.2/30', 'dev', 'eth0']);
  await sh('ip', ['-n', outside.name, 'link', 'set', 'eth0', 'up']);
  await sh('ip', ['-n', outside.name, 'route', 'add', 'default', 'via', '198.19.0.1']);
  await sh('ip', ['netns', 'exec', host.name, 'iptables', '-P', 'FORWARD', 'DROP']);
  await serveIn(defer, outside.name, ['serve-tcp', '198.19.0.2', '7200', 'outside']);

  const { stdout } = await run(
    'ip',
    [
      'netns',
      'exec',
      host.name,
      process.execPath,
      '--import',
      'tsx',
      SCENARIO,
      root,
      `fd${process.pid}`,
      '198.19.0.2',
      '7200',
    ],
    { cwd: REPO },
  );
  const r = JSON.parse(stdout) as { withRules: string; withoutRules: string };
  assert.equal(r.withRules, 'outside from=198.19.0.1 got=x');
  assert.equal(
    r.withoutRules,
    'error ETIMEDOUT',
    'the DROP policy was in force; gantry’s accepts were what let it through',
  );
});
