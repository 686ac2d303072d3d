// A `container run --rm` hashes ≈ 1.5 KB (the image's manifest and config, three short names) and the
// default seccomp rules' 15 KB, so on acba6ea it loaded node:crypto and its dozen internal modules
// (7–10 ms of the run here: issue 20, bench/RESULTS.md "run12"). Now the rules are compared whole
// (runtime/process/seccomp-memo.ts) and small inputs are hashed in plain JavaScript
// (common/lazy-crypto.ts): the run loads no node:crypto, and its names and memo are the same.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GANTRY_BIN } from '../helpers/cli.ts';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { sharedFilters } from '../helpers/host-snapshot.ts';
import { IMG } from './lifecycle-helpers.ts';

const e = await e2eRoot((fn) => after(fn));

const HOOK =
  "process.on('exit', () => process.stderr.write('loaded: ' + process.moduleLoadList.filter((m) => " +
  "/^NativeModule (child_process|crypto)$/.test(m)).join(',') + '\\n'));";

function run(hook: string, ...args: string[]) {
  return spawnSync(process.execPath, ['-r', hook, GANTRY_BIN, 'container', 'run', '--rm', ...args], {
    encoding: 'utf8',
    env: e.env,
  });
}

test('a container run --rm on a warm root (default network, seccomp) loads no node:crypto', () => {
  const hook = join(e.root, 'hook.cjs');
  writeFileSync(hook, HOOK);
  // The first run fills the root's network pool (a random veth name: node:crypto, once per root).
  assert.equal(run(hook, IMG, 'true').status, 0);
  for (const round of ['second', 'third']) {
    const r = run(hook, IMG, 'sh', '-c', 'cat /etc/hostname; exit 3');
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stdout, /^[0-9a-f]{12}\n$/, `${round}: the hostname is its id`);
    // child_process: the hook saw the shim's spawn; crypto: never.
    assert.equal(/loaded: (.*)/.exec(r.stderr)?.[1], 'NativeModule child_process', round);
  }
  assert.equal(sharedFilters(e.root).length, 1, 'the shared seccomp filter, written once and read');
  assert.deepEqual(readdirSync(join(e.root, 'containers')), [], 'removed');
});
