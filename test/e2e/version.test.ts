// `gantry version` with Compose's flags: the pretty line, --short, --format json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runGantry } from '../helpers/cli.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

test('gantry version: pretty, --short, json, bad format', async () => {
  const pretty = await runGantry(['version']);
  assert.equal(pretty.exitCode, 0, pretty.stderr);
  assert.equal(pretty.stdout, `gantry version ${pkg.version}\n`);
  assert.equal((await runGantry(['version', '--short'])).stdout, `${pkg.version}\n`);
  assert.deepEqual(JSON.parse((await runGantry(['version', '-f', 'json'])).stdout), { version: pkg.version });
  const bad = await runGantry(['version', '--format', 'xml']);
  assert.equal(bad.exitCode, 2);
  assert.match(bad.stderr, /--format: pretty or json/);
});
