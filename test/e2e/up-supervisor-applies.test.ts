// A start nobody waits on does not make the supervisor re-apply a set that already holds its
// container: each apply re-reads every container's state, so one per start grew with the square
// of the project (issue 20: 26 applies for a 60-service `up`). The supervisor still serves the
// names of the containers it learned of that way.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';

const IMG = 'gantry-test/busybox:latest';
const N = 8;
const chain = Array.from({ length: N }, (_, i) =>
  [
    `  s${i + 1}:`,
    `    image: ${IMG}`,
    '    command: ["sleep", "120"]',
    ...(i > 0 ? [`    depends_on: [s${i}]`] : []),
  ].join('\n'),
).join('\n');

test('a chain of starts makes the supervisor apply at most twice', { timeout: 300_000 }, async () => {
  const e = await e2eRoot((fn) => after(fn));
  const dir = e.project('applies', { 'compose.yaml': `name: applies\nservices:\n${chain}\n` });
  const up = await e.gantry(['up', '-d', '--progress', 'quiet'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  const set = JSON.parse(readFileSync(join(e.root, 'projects', 'applies', 'supervision.json'), 'utf8')) as {
    generation: number;
    containers: unknown[];
  };
  assert.equal(set.containers.length, N);
  // The first start's sync finds every container created; the closing sync is the second.
  assert.ok(set.generation <= 2, `the set was written ${set.generation} times for ${N} starts`);
  const look = await e.gantry(['exec', '-T', 's1', 'nslookup', `s${N}`], { cwd: dir });
  assert.equal(look.exitCode, 0, `s1 cannot resolve s${N}: ${look.stdout}${look.stderr}`);
});
