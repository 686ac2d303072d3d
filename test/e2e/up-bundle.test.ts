// `gantry up` runs its own bundle (dist/gantry-up.cjs, picked by bin/gantry.js for that first word,
// past global options and a `compose` word) through a code cache V8 accepts, recorded by an
// `up --dry-run` at build time (scripts/bundle-cli.mjs), and does its whole work there: the full CLI's
// cache, recorded by `config -q`, held none of up's functions (issue 20). Errors keep their line and
// exit code; `up` as a global option's value is no command word; other commands keep the whole CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { runSeen } from '../helpers/bundles-seen.ts';

const IMG = 'gantry-test/busybox:latest';

test('up runs the up bundle through its code cache and starts the project; other commands the whole CLI', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}ub`;
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}\nservices:\n  app:\n    image: ${IMG}\n    init: true\n    command: ["sleep", "600"]\n`,
  });
  const run = (args: readonly string[]) => runSeen(args, dir, e.env, e.root);

  const up = run(['--progress', 'quiet', 'compose', 'up', '-d']);
  assert.deepEqual([up.status, up.seen, up.rejected], [0, ['gantry-up.cjs'], [false]], up.stderr);
  const ex = await e.gantry(['exec', '-T', 'app', 'sh', '-c', 'echo in'], { cwd: dir });
  assert.deepEqual([ex.exitCode, ex.stdout], [0, 'in\n'], ex.stderr);

  const bad = run(['up', '-d', 'nope']);
  assert.deepEqual([bad.status, bad.stderr.trim(), bad.seen], [1, 'no such service: nope', ['gantry-up.cjs']]);
  const usage = run(['up', '--no-such-flag']);
  assert.deepEqual([usage.status, usage.seen], [2, ['gantry-up.cjs']]);
  assert.match(usage.stderr, /unknown option '--no-such-flag'/);

  // `up` as -p's value is no command word; ps and version are not this bundle's.
  for (const args of [['-p', 'up', 'ps'], ['ps'], ['version']]) {
    const other = run(args);
    assert.deepEqual([other.status, other.seen], [0, ['gantry.cjs']], `${args.join(' ')}: ${other.stderr}`);
  }
});
