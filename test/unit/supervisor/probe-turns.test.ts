// Probes that fall due together spawn one per turn of the event loop, with a poll between two: a
// spawn blocks the supervisor until its child has exec'd, and a 60-container set's probes ran back
// to back in one timers phase, so a reload's SIGHUP waited behind all of them (0.8-1.8 s at load 8,
// issue 20). The runtime is scripted (exec answers chosen by the test); the I/O event is an inotify
// write, queued by the kernel before the write returns, so the next poll sees it on any load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runtime } from '../../../src/runtime/index.ts';
import { runningState, supervisedEntry } from '../../helpers/supervised.ts';
import { ContainerWatch } from '../../../src/supervisor/container-watch.ts';
import type { SupervisedContainer } from '../../../src/supervisor/contract.ts';

const PROBES = 6;

const watched = (n: number): SupervisedContainer =>
  supervisedEntry(n, {
    healthcheck: {
      test: ['CMD-SHELL', 'true'],
      intervalMs: 50,
      timeoutMs: 1000,
      retries: 3,
      startPeriodMs: 0,
      startIntervalMs: 50,
    },
  });

test('an I/O event is handled after the first of the probes due at once, not after all of them', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-probe-turns-${process.pid}-`));
  const signals = join(dir, 'signals');
  mkdirSync(signals);
  const execs: string[] = [];
  let seenAfter = -1;
  const watcher = watch(signals, () => {
    if (seenAfter < 0) seenAfter = execs.length;
  });
  const rt = {
    recordEvent: () => undefined,
    state: (id: string) => runningState(id),
    spec: () => ({ process: { args: [], env: [], cwd: '/' } }),
    exec: async (id: string) => {
      execs.push(id);
      if (execs.length === 1) writeFileSync(join(signals, 'reload'), '1'); // as `up` signals a reload
      return { exitCode: 0, stdout: '', stderr: '', timedOut: false };
    },
  } as unknown as Runtime;
  const deps = { rt, healthDir: dir, log: () => undefined, stoppedByUserNow: () => false };
  const watches = Array.from({ length: PROBES }, (_, i) => new ContainerWatch(watched(i + 1), deps));
  for (const w of watches) w.observe(runningState(w.c.id));
  // Held past the interval, as a busy supervisor is: every probe is due by the next timers phase.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  t.after(() => {
    for (const w of watches) w.close(false);
    watcher.close();
    rmSync(dir, { recursive: true, force: true });
  });
  for (const until = Date.now() + 20_000; (execs.length < PROBES || seenAfter < 0) && Date.now() < until;)
    await new Promise((r) => setTimeout(r, 10));
  assert.ok(execs.length >= PROBES, `${execs.length} probes ran`);
  assert.equal(seenAfter, 1, `the event was handled after ${seenAfter} probe spawns`);
});
