// `gantry exec` and `gantry container run` run their own bundle (dist/gantry-exec-run.cjs, picked by
// bin/gantry.js past global options and a `compose` word) through a V8 code cache V8 accepts, and
// do their work there: loading the whole CLI was 42–49 % of exec's CPU (issue 20). Other commands,
// and a command word that is only a global option's value, keep the whole CLI.
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { runSeen } from '../helpers/bundles-seen.ts';
import { sharedFilters } from '../helpers/host-snapshot.ts';

const IMG = 'gantry-test/busybox:latest';

test('exec and container run run the exec/run bundle through its code cache; other commands the whole CLI', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}xb`;
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}\nservices:\n  app:\n    image: ${IMG}\n    init: true\n    command: ["sleep", "600"]\n`,
  });
  const run = (args: readonly string[]) => runSeen(args, dir, e.env, e.root);

  const ran = run(['container', 'run', '--rm', IMG, 'sh', '-c', 'echo ran; exit 3']);
  assert.deepEqual([ran.status, ran.stdout, ran.seen, ran.rejected], [3, 'ran\n', ['gantry-exec-run.cjs'], [false]]);
  // Its compiled default seccomp filter is kept for every later start (runtime/process/seccomp-memo.ts).
  assert.equal(sharedFilters(e.root).length, 1, 'the shared seccomp filter');

  // A first exec loads the project in full: the loader is a file of its own, with its own code cache
  // (a warm exec reads the project's record instead: exec-recorded-project.test.ts).
  const idle = run(['exec', '-T', 'app', 'true']);
  assert.deepEqual(
    [idle.status, idle.stderr.trim(), idle.seen],
    [1, 'service "app" is not running', ['gantry-exec-run.cjs', 'gantry-part-project.cjs']],
  );
  const up = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  const ex = run(['--progress', 'quiet', 'compose', '-p', name, 'exec', '-T', 'app', 'sh', '-c', 'echo in; exit 4']);
  assert.deepEqual(
    [ex.status, ex.stdout, ex.seen, ex.rejected],
    [4, 'in\n', ['gantry-exec-run.cjs', 'gantry-part-project.cjs'], [false, false]],
  );
  // exec hashes nothing: node:crypto (a dozen internal modules) stays unloaded, as do `container run`'s
  // network modules that loaded it at their init (engine/exec-run.ts loads containers.ts on run's call only).
  assert.deepEqual(
    ex.builtins.filter((b) => /crypto/.test(b)),
    [],
    'exec loaded node:crypto',
  );
  // A warm exec (from the project's record) loads neither node:fs/promises nor the readline and
  // watcher internals that come with it, nor fs's rimraf: the runtime reaches the file system through
  // fs's callbacks and sync calls on exec's path (runtime/host.ts, exec.ts, log-files.ts; issue 20).
  // It reads no hard limits either: the process sets no ulimit (start-plan.ts).
  const warm = run(['exec', '-T', 'app', 'true']);
  assert.deepEqual(
    [warm.status, warm.seen, warm.procSelf.filter((f) => f.endsWith('/limits'))],
    [0, ['gantry-exec-run.cjs'], []],
    warm.stderr,
  );
  assert.deepEqual(
    warm.builtins.filter((b) => /crypto|fs\/promises|readline|watchers|rimraf/.test(b)),
    [],
    'a warm exec loaded node:fs/promises, readline, rimraf or crypto',
  );
  // Nor does it start libuv's thread pool (4 threads): its one pool read, /proc/self/mountinfo, is a
  // kernel file the runtime's host reads synchronously (runtime/host.ts; issue 20). As many threads
  // as an empty script's.
  const bare = spawnSync(
    process.execPath,
    ['-e', "process.stdout.write(String(require('fs').readdirSync('/proc/self/task').length))"],
    { encoding: 'utf8' },
  );
  assert.equal(warm.threads, Number(bare.stdout), 'a warm exec started the thread pool');
  const noService = run(['exec', '-T', 'nope', 'true']);
  assert.deepEqual([noService.status, noService.stderr.trim()], [1, 'no such service: nope']);

  // `exec` as -p's value is no command word; ps, container ls and version are not this bundle's.
  for (const args of [['-p', 'exec', 'ps'], ['container', 'ls'], ['version']]) {
    const other = run(args);
    assert.deepEqual([other.status, other.seen], [0, ['gantry.cjs']], `${args.join(' ')}: ${other.stderr}`);
  }
});
