// What a warm `container run --rm` hands to libuv's thread pool: the kernel's own files (cgroup
// mkdir, writes, listings, rmdir) and the removed container's small directory are done on the main
// thread (runtime/host.ts, common/remove-inside.ts; issue 20): each pool operation is a round trip
// between the loop and a worker. A preloaded hook counts the async fs calls by path, and the reads
// of the container's state files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { GANTRY_BIN } from '../helpers/cli.ts';

const IMG = 'gantry-test/busybox:latest';

// Wraps fs's callback and promise functions that take a path first; prints the paths at exit.
const HOOK = `
const fs = require('node:fs'); const calls = [];
for (const o of [fs, fs.promises]) {
  for (const n of ['mkdir', 'rmdir', 'readdir', 'writeFile', 'rm', 'unlink', 'readFile']) {
    const f = o[n]; o[n] = function (p, ...rest) { calls.push(n + ' ' + String(p)); return f.call(this, p, ...rest); };
  }
}
const reads = []; const read = fs.readFileSync;
fs.readFileSync = function (p, ...rest) { if (/\\/containers\\/[^/]+\\/(state\\.json|status|oom)$/.test(String(p))) reads.push(String(p).split('/').pop()); return read.call(this, p, ...rest); };
process.on('exit', () => process.stderr.write('pool: ' + JSON.stringify({ calls, reads }) + '\\n'));
`;

test('a warm container run --rm does its cgroups and its removal on the main thread, reading its state once to remove it', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  writeFileSync(join(e.root, 'hook.cjs'), HOOK);
  const run = () => {
    const r = spawnSync(
      process.execPath,
      ['-r', join(e.root, 'hook.cjs'), GANTRY_BIN, 'container', 'run', '--rm', IMG, 'sh', '-c', 'echo hi; exit 3'],
      { cwd: e.root, env: e.env, encoding: 'utf8' },
    );
    const line = /pool: (.*)\n/.exec(r.stderr);
    assert.ok(line, r.stderr);
    const seen = JSON.parse(line[1]!) as { calls: string[]; reads: string[] };
    return { status: r.status, stdout: r.stdout, ...seen };
  };
  run(); // the default bridge, its pooled namespace, the shared seccomp filter
  const warm = run();
  assert.deepEqual([warm.status, warm.stdout], [3, 'hi\n']);
  const kernel = warm.calls.filter((c) => / \/(sys|proc)\//.test(c));
  assert.deepEqual(kernel, [], 'async fs calls on kernel files');
  const removal = warm.calls.filter((c) => c.includes(`${join(e.root, 'containers')}/.deleting.`));
  assert.deepEqual(removal, [], "async fs calls removing the container's directory");
  // Its state is read by the start's report and once by the removal (the runtime's delete, whose labels
  // name the endpoint to leave): the removal read it twice before (engine/commands/containers.ts).
  assert.deepEqual(warm.reads, ['state.json', 'state.json', 'status', 'oom'], 'state files read');
  const left = await e.gantry(['container', 'ls', '-a', '--format', 'json']);
  assert.deepEqual([left.exitCode, JSON.parse(left.stdout)], [0, []], 'the container is gone');
});
