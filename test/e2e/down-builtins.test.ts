// A `down` hashes nothing and draws no random name, so it must not load node:crypto (issue 20:
// loading it is ≈ 8 % of a bare Node start here): the runtime, network, image store and engine
// modules on down's path take their hashes and random suffixes from common/lazy-crypto.ts, on
// use. On 543e31c nine of them required node:crypto at load, so every down loaded it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GANTRY_BIN } from '../helpers/cli.ts';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { IMG, uniq } from './lifecycle-helpers.ts';

const e = await e2eRoot((fn) => after(fn));

const HOOK =
  "process.on('exit', () => process.stderr.write('loaded: ' + process.moduleLoadList.filter((m) => " +
  "/^NativeModule (child_process|crypto)$/.test(m)).join(',') + '\\n'));";

test('a down of a running service (network, volume, port) loads no node:crypto', async () => {
  const name = uniq('dbi');
  const port = 20000 + (process.pid % 5000);
  const dir = e.project(name, {
    'compose.yaml':
      `name: ${name}\nservices:\n  a:\n    image: ${IMG}\n    init: true\n` +
      `    command: [httpd, -f, -p, "80", -h, /data]\n    volumes: [data:/data]\n` +
      `    ports: ["127.0.0.1:${port}:80"]\nvolumes: {data: {}}\n`,
  });
  writeFileSync(join(dir, 'hook.cjs'), HOOK);
  const up = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  const down = spawnSync(process.execPath, ['-r', join(dir, 'hook.cjs'), GANTRY_BIN, 'down', '-t', '1'], {
    cwd: dir,
    encoding: 'utf8',
    env: e.env,
  });
  assert.equal(down.status, 0, down.stderr);
  assert.match(down.stderr, /Container \S+ +Removed/);
  // child_process: the hook saw a real teardown (iptables, ip); crypto: never.
  assert.equal(/loaded: (.*)/.exec(down.stderr)?.[1], 'NativeModule child_process');
  assert.deepEqual(
    readdirSync(join(e.root, 'containers')).filter((n) => n.startsWith(name)),
    [],
  );
  // Hashing still works where it is needed: the next up names its bridge and anonymous parts.
  const again = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(again.exitCode, 0, again.stderr);
  assert.equal((await e.gantry(['down', '-v', '-t', '1'], { cwd: dir })).exitCode, 0);
});
