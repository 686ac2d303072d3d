// `gantry image build` runs its own bundle (dist/gantry-image-build.cjs, picked by bin/gantry.js),
// through a V8 code cache V8 accepts: loading the whole CLI bundle was most of a cached build's
// time (bench/RESULTS.md, build). Other commands keep the whole CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundlesOf } from '../helpers/bundles-seen.ts';

test('image build runs the image build bundle through its code cache; version runs the whole CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-build-bundle-'));
  try {
    mkdirSync(join(dir, 'ctx'));
    writeFileSync(join(dir, 'ctx', 'a.txt'), 'a\n');
    writeFileSync(join(dir, 'ctx', 'Dockerfile'), 'FROM scratch\nCOPY a.txt /\nCMD ["/a.txt"]\n');
    const build = bundlesOf(['image', 'build', '-q', '-t', 'bundle-check', 'ctx'], dir);
    assert.deepEqual(build.seen, ['gantry-image-build.cjs']);
    assert.deepEqual(build.rejected, [false]);
    const version = bundlesOf(['version'], dir);
    assert.deepEqual(version.seen, ['gantry.cjs']);
  } finally {
    rmSync(join(dir), { recursive: true, force: true });
  }
});
