// `gantry image build` runs its own bundle (dist/gantry-image-build.cjs, picked by bin/gantry.js),
// through a V8 code cache V8 accepts: loading the whole CLI bundle was most of a cached build's
// time (bench/RESULTS.md, build). Other commands keep the whole CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GANTRY_BIN } from '../helpers/cli.ts';

// Preloaded: which bundle cached-script.cjs reads, and whether V8 took its code cache.
const HOOK = `
const fs = require('node:fs'); const vm = require('node:vm');
const read = fs.readFileSync; const seen = []; const scripts = [];
fs.readFileSync = function (f, ...rest) { if (/dist\\/[^/]+\\.cjs$/.test(String(f))) seen.push(String(f)); return read.call(this, f, ...rest); };
const Script = vm.Script;
vm.Script = function (...a) { const s = new Script(...a); scripts.push(s); return s; };
process.on('exit', () => process.stderr.write('bundles: ' + JSON.stringify({ seen, rejected: scripts.map((s) => s.cachedDataRejected) }) + '\\n'));
`;

function bundlesOf(args: readonly string[], cwd: string): { seen: string[]; rejected: (boolean | undefined)[] } {
  const r = spawnSync(process.execPath, ['-r', join(cwd, 'hook.cjs'), GANTRY_BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GANTRY_ROOT: join(cwd, 'root') },
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(/bundles: (.*)/.exec(r.stderr)![1]!) as { seen: string[]; rejected: (boolean | undefined)[] };
}

test('image build runs the image build bundle through its code cache; version runs the whole CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-build-bundle-'));
  try {
    writeFileSync(join(dir, 'hook.cjs'), HOOK);
    mkdirSync(join(dir, 'ctx'));
    writeFileSync(join(dir, 'ctx', 'a.txt'), 'a\n');
    writeFileSync(join(dir, 'ctx', 'Dockerfile'), 'FROM scratch\nCOPY a.txt /\nCMD ["/a.txt"]\n');
    const build = bundlesOf(['image', 'build', '-q', '-t', 'bundle-check', 'ctx'], dir);
    assert.deepEqual(
      build.seen.map((f) => f.split('/').pop()),
      ['gantry-image-build.cjs'],
    );
    assert.deepEqual(build.rejected, [false]);
    const version = bundlesOf(['version'], dir);
    assert.deepEqual(
      version.seen.map((f) => f.split('/').pop()),
      ['gantry.cjs'],
    );
  } finally {
    rmSync(join(dir), { recursive: true, force: true });
  }
});
