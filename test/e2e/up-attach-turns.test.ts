// The creates of an `up` share the network lock's turns: attaches waiting for the lock go in one
// turn (one write of the network's record as attaching, one as ready, one `ip` launcher forked
// from the CLI's heap). The leaves of a star take one or two such turns, not one per executor
// slot's worth (issue 20: a 60-service `up` took 7–10 turns when 16 ops ran at a time).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, watch } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';

const IMG = 'gantry-test/busybox:latest';
const LEAVES = 40;

const project = (): string => {
  const lines = ['name: upturns', 'services:', '  hub:', `    image: ${IMG}`, '    command: ["sleep", "600"]'];
  for (let i = 1; i <= LEAVES; i++)
    lines.push(`  leaf${i}:`, `    image: ${IMG}`, '    command: ["sleep", "600"]', '    depends_on: [hub]');
  return lines.join('\n') + '\n';
};

test('the leaves of a 41-service star attach in at most two lock turns', { timeout: 300_000 }, async () => {
  const e = await e2eRoot((fn) => after(fn));
  const dir = e.project('upturns', { 'compose.yaml': project() });
  mkdirSync(join(e.root, 'networks'), { recursive: true, mode: 0o700 });
  let writes = 0;
  const watcher = watch(join(e.root, 'networks'), (_event, file) => {
    if (file === 'upturns_default.json') writes++;
  });
  try {
    const up = await e.gantry(['up', '-d', '--progress', 'quiet'], { cwd: dir });
    assert.equal(up.exitCode, 0, up.stderr);
  } finally {
    watcher.close();
  }
  // its creation, hub's turn and at most two for the leaves, each an "attaching" and a "ready" write
  assert.ok(writes <= 8, `the network record was written ${writes} times`);
});
