// State reads stay O(containers) per command: `up` lists the runtime once per dependency wait, so a
// list must not re-read and re-parse every unchanged state file (issue 20's quadratic up slope).
// Counted with the kernel's own tally of read syscalls (/proc/self/io syscr), not a mock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime } from '../../../src/runtime/index.ts';
import { containerPaths, readState, writeState, type StoredState } from '../../../src/runtime/state.ts';

const readSyscalls = (): number => Number(/^syscr: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1]);

const stored = (id: string, service: string): StoredState => ({
  id,
  created: new Date(0).toISOString(),
  spec: {
    rootfs: { layers: [] },
    process: { args: ['true'], env: [], cwd: '/' },
    labels: { 'com.docker.compose.project': 'p', 'com.docker.compose.service': service },
  } as unknown as StoredState['spec'],
});

function containers(t: { after: (fn: () => void) => void }, n: number): string {
  const dir = mkdtempSync(join(tmpdir(), `gantry-state-reads-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (let i = 1; i <= n; i++) {
    const p = containerPaths(dir, `p-s${i}-1`);
    mkdirSync(p.dir);
    void writeState(p, stored(`p-s${i}-1`, `s${i}`));
  }
  return dir;
}

test('listing n unchanged containers n times reads each state file about once, not n times', async (t) => {
  const n = 60;
  const rt = createRuntime({ containersDir: containers(t, n) });
  assert.equal((await rt.list()).length, n); // the first list parses every file
  const before = readSyscalls();
  for (let i = 0; i < n; i++) assert.equal((await rt.list()).length, n);
  // A re-read costs at least one read(2): 40 lists of 40 did 6443 before the memo, 342 with it (the
  // rest is the event loop's own eventfd reads, ~8 per list). The bound splits n per list from n² apart.
  const reads = readSyscalls() - before;
  assert.ok(reads < (n * n) / 4, `${reads} read syscalls for ${n} lists of ${n} unchanged containers`);
});

test('a changed state file is read again: the memo never serves a stale state', async (t) => {
  const dir = containers(t, 2);
  const p = containerPaths(dir, 'p-s1-1');
  assert.equal(readState(p)?.paused, undefined);
  await writeState(p, { ...readState(p)!, paused: true });
  assert.equal(readState(p)?.paused, true);
  rmSync(p.state);
  assert.equal(readState(p), undefined);
  await writeState(p, stored('p-s1-1', 's1'));
  assert.equal(readState(p)?.paused, undefined);
});

test('a memoised state cannot be changed by one reader under the next', (t) => {
  const p = containerPaths(containers(t, 1), 'p-s1-1');
  const s = readState(p)!;
  assert.throws(() => {
    (s.spec.labels as Record<string, string>)['x'] = 'y';
  }, TypeError);
  assert.equal(readState(p)?.spec.labels?.['x'], undefined);
});
