// How many processes a real 10-service `up` forks from its own (≈ 100 MB) heap: the shim spawner
// once for the whole command, not once per dependency level, and gone when up returns (issue 20).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { countingSpawns } from '../helpers/count-spawns.ts';
import { compose } from '../../src/index.ts';

const IMG = 'gantry-test/busybox:latest';

// Three dependency levels; s1's healthcheck makes the wait between levels far longer than the
// spawner's idle close, so a spawner that is not held for the command is forked again per level.
const project = (): string => {
  const lines = ['services:'];
  for (let i = 1; i <= 10; i++) {
    lines.push(`  s${i}:`, `    image: ${IMG}`, '    init: true', '    command: ["sleep", "600"]');
    if (i === 1) lines.push('    healthcheck: {test: ["CMD", "true"], interval: 700ms, retries: 5}');
    if (i === 2) lines.push('    depends_on: {s1: {condition: service_healthy}}');
    if (i >= 3) lines.push('    depends_on: {s2: {condition: service_healthy}}');
    if (i === 2) lines.push('    healthcheck: {test: ["CMD", "true"], interval: 700ms, retries: 5}');
  }
  return lines.join('\n') + '\n';
};

/** Live children of this process whose command line holds word. */
function children(word: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === process.pid && readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(word);
      } catch {
        return false;
      }
    })
    .map(Number);
}

test('a 10-service up forks one shim spawner for the whole command and ends it', { timeout: 300_000 }, async () => {
  const e = await e2eRoot((fn) => after(fn));
  const dir = e.project('upspawns', { 'compose.yaml': project() });
  const stack = compose({ files: [join(dir, 'compose.yaml')], root: e.root, stopTimeout: 1 });
  const { result: env, spawns } = await countingSpawns(
    () => stack.up(),
    (file, args) => (file === '/bin/sh' ? `sh ${args[2] ?? ''}` : file),
  );
  try {
    const ps = await env.ps();
    assert.equal(ps.filter((c) => c.State === 'running').length, 10, JSON.stringify(ps));
    const spawners = spawns.filter((s) => s === 'sh gantry-shim-spawner').length;
    assert.equal(spawners, 1, `the shim spawner was forked ${spawners} times: ${spawns.join(', ')}`);
    // Released at the end of up: an embedding process keeps no idle spawner child.
    let left = children('gantry-shim-spawner');
    for (let i = 0; i < 20 && left.length > 0; i++) {
      await sleep(100);
      left = children('gantry-shim-spawner');
    }
    assert.deepEqual(left, [], 'a shim spawner outlived up');
  } finally {
    await env.down();
  }
});
