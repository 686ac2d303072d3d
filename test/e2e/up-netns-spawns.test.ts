// `up` makes each container's namespace in its first attach's `ip` run (newNetns), not in a
// `netns add` batch of its own first: one fork of the CLI fewer per batch of starts (issue 20).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { countingSpawns } from '../helpers/count-spawns.ts';
import { compose } from '../../src/index.ts';

const IMG = 'gantry-test/busybox:latest';
const services = (n: number): string =>
  Array.from({ length: n }, (_, i) =>
    [`  s${i + 1}:`, `    image: ${IMG}`, '    command: ["sleep", "60"]'].join('\n'),
  ).join('\n');

test('up makes the namespaces in the attach runs, with no `ip` run of their own', { timeout: 300_000 }, async () => {
  const e = await e2eRoot((fn) => after(fn));
  const dir = e.project('nsadd', { 'compose.yaml': `services:\n${services(4)}\n` });
  const stack = compose({ files: [join(dir, 'compose.yaml')], root: e.root, stopTimeout: 1 });
  const { result: env, spawns } = await countingSpawns(
    () => stack.up(),
    (file, args) => [file, ...args.filter((a) => !a.includes('\n'))].join(' '),
  );
  try {
    // The bridge's own creation is the one host `ip -batch -` of this up; the veths and the
    // namespaces go through the attach launcher (/bin/sh).
    const hostIp = spawns.filter((s) => s === 'ip -batch -');
    assert.ok(hostIp.length <= 1, `host \`ip -batch -\` ran ${hostIp.length} times: ${spawns.join(', ')}`);
    for (const n of [2, 3, 4]) {
      const ping = await e.gantry(['-p', env.projectName, 'exec', '-T', `s${n}`, 'ping', '-c', '1', '-W', '2', 's1'], {
        cwd: dir,
      });
      assert.equal(ping.exitCode, 0, `s${n} cannot reach s1: ${ping.stderr}${ping.stdout}`);
    }
  } finally {
    await env.down();
  }
});
