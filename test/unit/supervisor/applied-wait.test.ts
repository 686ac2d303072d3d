// ensureSupervisor waits for the supervisor's applied marker by watching the project dir, not by
// reading it (and the pid file and /proc) every 10 ms: the marker is read once per change of the
// supervisor's files plus once per 100 ms with none (issue 20). The "supervisor" here is this test
// process: its pid file names it, and it ignores the SIGHUP a reload sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs, { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSupervisor } from '../../../src/supervisor/index.ts';
import type { SupervisionSet } from '../../../src/supervisor/contract.ts';

const startOf = (pid: number): string => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)!.split(' ')[19]!;
/** The longest wait between looks with no change (file-changes.ts LOOK_AGAIN_MS). */
const LOOK_MS = 100;
/** How long the fake supervisor takes to apply: 30 turns of a 10 ms poll. */
const APPLY_MS = 300;

test('a reload is waited for through the supervisor files changing, not a 10 ms poll', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-applied-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const set: SupervisionSet = {
    project: 'p',
    generation: 2,
    networks: [],
    containers: [{ id: 'p-a-1', service: 'a', number: 1, restart: { kind: 'no' }, endpoints: [], ports: [] }],
  };
  writeFileSync(join(dir, 'supervision.json'), JSON.stringify(set));
  writeFileSync(join(dir, 'supervisor.pid'), `${process.pid} ${startOf(process.pid)}\n`);
  const applied = join(dir, 'supervisor.applied');
  writeFileSync(applied, JSON.stringify({ generation: 1, pid: process.pid }));
  const hups: number[] = [];
  const onHup = (): void => void hups.push(1);
  process.on('SIGHUP', onHup);
  t.after(() => process.off('SIGHUP', onHup));
  let reads = 0;
  const read = fs.readFileSync;
  t.mock.method(fs, 'readFileSync', (...a: Parameters<typeof read>) => {
    if (a[0] === applied) reads++;
    return read(...a);
  });
  syncBuiltinESMExports();
  t.after(() => (t.mock.restoreAll(), syncBuiltinESMExports()));
  const t0 = performance.now();
  const apply = setTimeout(() => {
    writeFileSync(`${applied}.tmp`, JSON.stringify({ generation: 2, pid: process.pid }));
    renameSync(`${applied}.tmp`, applied);
  }, APPLY_MS);
  t.after(() => clearTimeout(apply));
  await ensureSupervisor(dir);
  const elapsed = performance.now() - t0;
  assert.ok(elapsed >= APPLY_MS - 5, `returned before the marker said generation 2 (${elapsed} ms)`);
  // One look at the start, one per look-again tick (each ≥ LOOK_MS), one for the marker's rename.
  const most = 2 + Math.floor(elapsed / LOOK_MS);
  assert.ok(reads <= most, `the marker was read ${reads} times in ${Math.round(elapsed)} ms (at most ${most})`);
  assert.equal(hups.length, 1, 'the live supervisor was told to reload once');
});
