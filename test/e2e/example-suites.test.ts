// The example test suites of examples/test-suites run as a user runs them: node:test's with
// `node --test`, vitest's with vitest installed from npm into the copy. Each brings the two-service
// stack up through the Node API (`import { compose, wait } from 'gantry'`), waits by HTTP and by log
// line, reads the published port, asserts a command's captured output, and takes it down: nothing of
// it is left in the state root afterwards.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';

const REPO = join(import.meta.dirname, '..', '..');
const e = await e2eRoot((fn) => after(fn));
const dir = mkdtempSync(join(tmpdir(), 'gantry-example-suites-'));
after(() => rmSync(dir, { recursive: true, force: true }));
cpSync(join(REPO, 'examples', 'test-suites'), dir, { recursive: true });

// The suites' own environment: the test root, and none of this runner's node:test markers.
const { NODE_TEST_CONTEXT: _t, NODE_OPTIONS: _o, ...base } = process.env;
const env = { ...base, GANTRY_ROOT: e.root, NO_COLOR: '1' };

function run(cmd: string, args: readonly string[], timeout = 300_000) {
  const r = spawnSync(cmd, args, { cwd: dir, env, encoding: 'utf8', timeout });
  return { code: r.status, out: `${r.stdout}${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '') };
}

/** The gantry package as `dependencies: { gantry }` resolves it: this repo, built. */
function linkGantry(): void {
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  if (!existsSync(join(dir, 'node_modules', 'gantry'))) symlinkSync(REPO, join(dir, 'node_modules', 'gantry'));
}

const leftovers = (): string[] =>
  existsSync(join(e.root, 'containers'))
    ? readdirSync(join(e.root, 'containers')).filter((n) => !n.startsWith('.') && n !== 'events.jsonl')
    : [];

test('the node:test example suite passes and leaves nothing', { timeout: 300_000 }, () => {
  linkGantry();
  const r = run(process.execPath, ['--test', 'node-test/stack.test.mjs']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /# pass 2\n/);
  assert.match(r.out, /# fail 0\n/);
  assert.deepEqual(leftovers(), []);
});

test('the vitest example suite passes with vitest from npm and leaves nothing', { timeout: 600_000 }, () => {
  // Only vitest from the registry (the example's package.json names gantry too, which is this repo
  // here); npm prunes what package.json does not name, so gantry is linked after the install.
  rmSync(join(dir, 'node_modules', 'gantry'), { force: true });
  writeFileSync(join(dir, 'package.json'), '{ "private": true, "type": "module" }\n');
  const npm = join(process.execPath, '..', 'npm');
  const i = run(npm, ['install', '--no-save', '--no-audit', '--no-fund', 'vitest@^4.1.12']);
  assert.equal(i.code, 0, i.out);
  linkGantry();
  const r = run(join(dir, 'node_modules', '.bin', 'vitest'), ['run']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /Tests\s+2 passed/);
  assert.deepEqual(leftovers(), []);
});
