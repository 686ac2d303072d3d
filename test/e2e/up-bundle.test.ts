// `gantry up` runs its own bundle (dist/gantry-up.cjs, picked by bin/gantry.js for that first word,
// past global options and a `compose` word) through a code cache V8 accepts, recorded by an up at build
// time (scripts/bundle-cli.mjs), and does its work there, with parts apart read on first use: the full CLI's
// cache, recorded by `config -q`, held none of up's functions (issue 20). Errors keep their line and
// exit code; `up` as a global option's value is no command word; other commands keep the whole CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { runSeen } from '../helpers/bundles-seen.ts';
import { GANTRY_BIN } from '../helpers/cli.ts';

const IMG = 'gantry-test/busybox:latest';

test('up runs the up bundle through its code cache and starts the project; other commands the whole CLI', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}ub`;
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}\nservices:\n  app:\n    image: ${IMG}\n    init: true\n    command: ["sleep", "600"]\n`,
  });
  const run = (args: readonly string[]) => runSeen(args, dir, e.env, e.root);

  // A first up loads the project in full: the loader is a file of its own, with its own code cache (a warm
  // up reads the project's record instead, below).
  const up = run(['--progress', 'quiet', 'compose', 'up', '-d']);
  assert.deepEqual(
    [up.status, up.seen, up.rejected],
    [0, ['gantry-up.cjs', 'gantry-part-project.cjs'], [false, false]],
    up.stderr,
  );
  const ex = await e.gantry(['exec', '-T', 'app', 'sh', '-c', 'echo in'], { cwd: dir });
  assert.deepEqual([ex.exitCode, ex.stdout], [0, 'in\n'], ex.stderr);

  const bad = run(['up', '-d', 'nope']);
  assert.deepEqual(
    [bad.status, bad.stderr.trim(), bad.seen],
    [1, 'no such service: nope', ['gantry-up.cjs', 'gantry-part-project.cjs']],
  );
  const usage = run(['up', '--no-such-flag']);
  assert.deepEqual([usage.status, usage.seen], [2, ['gantry-up.cjs']]);
  assert.match(usage.stderr, /unknown option '--no-such-flag'/);

  // `up` as -p's value is no command word; ps and version are not this bundle's.
  for (const args of [['-p', 'up', 'ps'], ['ps'], ['version']]) {
    const other = run(args);
    assert.deepEqual([other.status, other.seen], [0, ['gantry.cjs']], `${args.join(' ')}: ${other.stderr}`);
  }
});

// What a warm up of local images never runs is in files of its own, read on first use (scripts/bundle/apart.mjs):
// the project loader (a warm up reads the project's record), image pull's execa and save's tar, build, watch and
// the live view's listr2 were ≈ 1.3 of the up bundle's 1.9 MB, read and copied at every up (issue 20). An edited
// compose file is a full load; a build from up reads the build part, and works.
const EXCLUDED =
  /node_modules[\\/](?:execa|tar|tar-stream|streamx|listr2|chokidar|yaml|js-yaml)[\\/]|"dist[\\/](?:build|project[\\/]generated)[\\/]/;

test('a warm up -d reads no loader, pull, archive, build, watch or live-view code; an edit is a full load', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}uw`;
  const dir = e.project(name, {
    'compose.yaml':
      `name: ${name}\nservices:\n  app:\n    image: ${IMG}\n    init: true\n    command: ["sleep", "600"]\n` +
      `    environment: {V: "1"}\n  made:\n    build: ./made\n    init: true\n    command: ["sleep", "600"]\n`,
  });
  mkdirSync(join(dir, 'made'));
  writeFileSync(join(dir, 'made', 'Dockerfile'), `FROM ${IMG}\nRUN echo made > /made.txt\n`);
  const run = (args: readonly string[]) => runSeen(args, dir, e.env, e.root);
  const excludedIn = (files: readonly string[]) =>
    files.filter((f) => EXCLUDED.test(readFileSync(join(dirname(GANTRY_BIN), '..', 'dist', f), 'latin1')));

  await sleep(150); // an input is recorded once older than the racy window (100 ms: project/recorded-load.ts)
  const first = run(['up', '-d', '--progress', 'quiet', 'app']);
  assert.deepEqual([first.status, first.seen], [0, ['gantry-up.cjs', 'gantry-part-project.cjs']], first.stderr);
  const down = await e.gantry(['down', '-t', '0'], { cwd: dir });
  assert.equal(down.exitCode, 0, down.stderr);
  const warm = run(['up', '-d', '--progress', 'quiet', 'app']);
  assert.deepEqual([warm.status, warm.seen, excludedIn(warm.seen)], [0, ['gantry-up.cjs'], []], warm.stderr);
  // The compose file edited (same size): a full load, and the service recreated from it.
  const text = readFileSync(join(dir, 'compose.yaml'), 'utf8');
  writeFileSync(join(dir, 'compose.yaml'), text.replace('V: "1"', 'V: "2"'));
  const edited = run(['up', '-d', '--progress', 'quiet', 'app']);
  assert.deepEqual([edited.status, edited.seen], [0, ['gantry-up.cjs', 'gantry-part-project.cjs']], edited.stderr);
  const v = await e.gantry(['exec', '-T', 'app', 'sh', '-c', 'echo $V'], { cwd: dir });
  assert.deepEqual([v.exitCode, v.stdout], [0, '2\n'], v.stderr);
  const built = run(['up', '-d', '--progress', 'quiet', 'made']);
  assert.deepEqual(
    [built.status, built.seen],
    [0, ['gantry-up.cjs', 'gantry-part-project.cjs', 'gantry-part-build.cjs']],
    built.stderr,
  );
  const ex = await e.gantry(['exec', '-T', 'made', 'cat', '/made.txt'], { cwd: dir });
  assert.deepEqual([ex.exitCode, ex.stdout], [0, 'made\n'], ex.stderr);
});
