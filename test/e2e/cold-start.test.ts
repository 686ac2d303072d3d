// What a cold `gantry config` must not load: node:child_process (and dgram with it), which
// commander requires at load time and the bundle defers (scripts/bundle-cli.mjs); node:crypto
// (hashes past 4 KB are taken on use, common/lazy-crypto.ts), readline and stream consumers (loaded by the
// commands that read stdin). (net is not checked: Node loads it itself for piped stdio.)
// Commands that run containers load child_process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GANTRY_BIN } from '../helpers/cli.ts';

const HOOK =
  "process.on('exit', () => process.stderr.write('loaded: ' + process.moduleLoadList.filter((m) => /^NativeModule (child_process|dgram|crypto|readline\\/promises|stream\\/consumers)$/.test(m)).join(',') + '\\n'));";

const SMALL = 'services:\n  web:\n    image: busybox\n    ports: ["8080:80"]\n';

function loadedBy(args: readonly string[], compose = SMALL): string {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-cold-'));
  writeFileSync(join(dir, 'hook.cjs'), HOOK);
  writeFileSync(join(dir, 'compose.yaml'), compose);
  const r = spawnSync(process.execPath, ['-r', join(dir, 'hook.cjs'), GANTRY_BIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GANTRY_ROOT: join(dir, 'root') },
  });
  rmSync(dir, { recursive: true, force: true });
  assert.equal(r.status, 0, r.stderr);
  return /loaded: (.*)/.exec(r.stderr)![1]!;
}

test('config and version start without child_process, dgram, crypto, readline or stream consumers', () => {
  assert.equal(loadedBy(['config', '-q']), '');
  assert.equal(loadedBy(['version']), '');
});

test('the hook sees them where they are used (ps reads the runtime, a hash past 4 KB node:crypto)', () => {
  assert.match(loadedBy(['ps']), /child_process/);
  // Up to 4 KB a hash is made in plain JavaScript (common/lazy-crypto.ts).
  assert.equal(loadedBy(['config', '--hash', 'web']), '');
  const big = `services:\n  web:\n    image: busybox\n    environment: {BIG: "${'x'.repeat(5000)}"}\n`;
  assert.match(loadedBy(['config', '--hash', 'web'], big), /^NativeModule crypto$/);
});
