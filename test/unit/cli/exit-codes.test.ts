// The CLI wrapper's contract: usage errors exit 2, unknown commands exit 2, version works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runGantry } from '../../helpers/cli.ts';

test('version prints the package version', async () => {
  const r = await runGantry(['version', '--format', 'json']);
  assert.equal(r.exitCode, 0);
  assert.match(JSON.parse(r.stdout).version, /^\d+\.\d+\.\d+/);
});

test('an unknown command is a usage error with exit 2 and no stack trace', async () => {
  const r = await runGantry(['no-such-command']);
  assert.equal(r.exitCode, 2);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
