// The CLI wrapper's contract: usage errors exit 2, unknown commands exit 2, version works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runGantry, GANTRY_BIN as GANTRY_BIN_PATH } from '../../helpers/cli.ts';

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

test('--env-file before the command reaches gantry, not node (run through the shebang)', async () => {
  const { execFile } = await import('node:child_process');
  const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(GANTRY_BIN_PATH, ['--env-file', '/nonexistent/x.env', 'config'], (err, _out, stderr) =>
      resolve({ code: (err as { code?: number } | null)?.code ?? 0, stderr }),
    );
  });
  assert.deepEqual(r, { code: 1, stderr: 'env file /nonexistent/x.env not found\n' });
});
