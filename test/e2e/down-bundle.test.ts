// `gantry down` runs its own bundle (dist/gantry-down.cjs, picked by bin/gantry.js for that first
// word) through a code cache V8 accepts, recorded by a down (scripts/bundle-cli.mjs): issue 20's
// fixed cost of down. Global options before the word are skipped (bin/gantry.js reads the CLI's list
// of those that take a value); other commands keep the whole CLI. A first down of a project loads it
// through the project loader's own file and cache (its record is not written yet: engine/model.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundlesOf } from '../helpers/bundles-seen.ts';
import { packageRoot } from '../../src/common/package-root.ts';

test('down runs the down bundle through its code cache, -f FILE down too; version runs the whole CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-down-bundle-'));
  try {
    writeFileSync(join(dir, 'compose.yaml'), 'name: downbundle\nservices:\n  a: {image: busybox}\n');
    const down = bundlesOf(['down', '-t', '1'], dir);
    assert.deepEqual(down.seen, ['gantry-down.cjs', 'gantry-part-project.cjs']);
    assert.deepEqual(down.rejected, [false, false]);
    const withFile = bundlesOf(['-f', join(dir, 'compose.yaml'), 'down'], dir);
    assert.deepEqual(withFile.seen, ['gantry-down.cjs', 'gantry-part-project.cjs']);
    const whole = bundlesOf(['version'], dir);
    assert.deepEqual(whole.seen, ['gantry.cjs']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// A start reads and copies every byte of its bundle (page faults make that dear on a VM): the down
// bundle leaves whitespace out (scripts/bundle-cli.mjs, compact), names kept. Full width it had
// 66,054 lines, 2.5 MB.
test('the down bundle is compact, its functions keep their names', () => {
  const text = readFileSync(join(packageRoot(), 'dist', 'gantry-down.cjs'), 'latin1');
  assert.ok(text.split('\n').length < 2_000, `${text.split('\n').length} lines`);
  assert.match(text, /function registerDown\(/);
});
