// `gantry down` runs its own bundle (dist/gantry-down.cjs, picked by bin/gantry.js for that first
// word) through a code cache V8 accepts, recorded by a down (scripts/bundle-cli.mjs): issue 20's
// fixed cost of down. A global option before the word keeps the whole CLI, which does the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundlesOf } from '../helpers/bundles-seen.ts';

test('down runs the down bundle through its code cache; -f FILE down runs the whole CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-down-bundle-'));
  try {
    writeFileSync(join(dir, 'compose.yaml'), 'name: downbundle\nservices:\n  a: {image: busybox}\n');
    const down = bundlesOf(['down', '-t', '1'], dir);
    assert.deepEqual(down.seen, ['gantry-down.cjs']);
    assert.deepEqual(down.rejected, [false]);
    const whole = bundlesOf(['-f', join(dir, 'compose.yaml'), 'down'], dir);
    assert.deepEqual(whole.seen, ['gantry.cjs']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
