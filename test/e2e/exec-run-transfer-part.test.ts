// The exec/run bundle leaves the image store's transfers (pull, push, load, save, import: execa, tar and
// the zstd reader with them) in a file of its own (dist/gantry-exec-run-image-transfer.cjs,
// scripts/bundle-cli.mjs), read only if a transfer runs: they were 0.34 of the bundle's 0.73 MB, read and
// copied by every exec and run, and neither runs one (`container run` of a missing image refuses). Issue 20.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { GANTRY_BIN } from '../helpers/cli.ts';
import { runSeen } from '../helpers/bundles-seen.ts';

const IMG = 'gantry-test/busybox:latest';
const TRANSFER_CODE = /node_modules[\\/](?:execa|tar|fzstd)[\\/]/;
const dist = (f: string) => readFileSync(join(dirname(GANTRY_BIN), '..', 'dist', f), 'latin1');

test('exec and container run read none of the image transfers: they sit in a file of their own', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const dir = e.project(`e2e${process.pid}xt`, {});
  const ran = runSeen(['container', 'run', '--rm', IMG, 'echo', 'ran'], dir, e.env, e.root);
  assert.deepEqual([ran.status, ran.stdout, ran.seen], [0, 'ran\n', ['gantry-exec-run.cjs']], ran.stderr);
  assert.doesNotMatch(dist('gantry-exec-run.cjs'), TRANSFER_CODE, 'the exec/run bundle holds transfer code');
  assert.match(dist('gantry-exec-run-image-transfer.cjs'), TRANSFER_CODE, 'the transfer part');
  const missing = runSeen(['container', 'run', '--rm', 'gantry-test/none:1', 'true'], dir, e.env, e.root);
  assert.deepEqual([missing.status, missing.seen], [2, ['gantry-exec-run.cjs']], missing.stderr);
  assert.match(missing.stderr, /gantry-test\/none:1: not found locally/);
});
