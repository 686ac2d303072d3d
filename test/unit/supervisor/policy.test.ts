// The supervisor's pure rules: restart decisions per policy, Docker-like back-off, health status
// transitions (retries, start period, last 5 probes) and the probe command of CMD / CMD-SHELL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  afterProbe,
  backoffMs,
  BACKOFF_CAP_MS,
  initialHealth,
  nextProbeIn,
  probeArgs,
  shouldRestart,
  timing,
} from '../../../src/supervisor/policy.ts';
import type { HealthProbe } from '../../../src/supervisor/contract.ts';

const probe = (exitCode: number, output = ''): HealthProbe => ({
  start: '2026-01-01T00:00:00.000Z',
  end: '2026-01-01T00:00:00.010Z',
  exitCode,
  output,
});

test('restart policies', () => {
  assert.equal(shouldRestart({ kind: 'no' }, 1, 0, false), false);
  assert.equal(shouldRestart({ kind: 'always' }, 0, 99, false), true);
  assert.equal(shouldRestart({ kind: 'unless-stopped' }, 0, 0, false), true);
  assert.equal(shouldRestart({ kind: 'always' }, 1, 0, true), false, 'stopped by the user');
  assert.equal(shouldRestart({ kind: 'unless-stopped' }, 1, 0, true), false);
  assert.equal(shouldRestart({ kind: 'on-failure' }, 0, 0, false), false, 'a clean exit is not a failure');
  assert.equal(shouldRestart({ kind: 'on-failure' }, 2, 1000, false), true, 'no limit');
  assert.equal(shouldRestart({ kind: 'on-failure', maxRetries: 2 }, 1, 1, false), true);
  assert.equal(shouldRestart({ kind: 'on-failure', maxRetries: 2 }, 1, 2, false), false);
  assert.equal(
    shouldRestart({ kind: 'on-failure', maxRetries: 2 }, -1, 0, false),
    true,
    'an unknown exit (shim killed) is a failure',
  );
});

test('back-off doubles from 100 ms and is capped', () => {
  assert.deepEqual([0, 1, 2, 3].map(backoffMs), [100, 200, 400, 800]);
  assert.equal(backoffMs(50), BACKOFF_CAP_MS);
});

test('health: success is healthy, retries failures in a row are unhealthy', () => {
  let h = initialHealth();
  h = afterProbe(h, probe(1), false, 2);
  assert.deepEqual([h.status, h.failingStreak], ['starting', 1]);
  h = afterProbe(h, probe(1), false, 2);
  assert.deepEqual([h.status, h.failingStreak], ['unhealthy', 2]);
  h = afterProbe(h, probe(0), false, 2);
  assert.deepEqual([h.status, h.failingStreak], ['healthy', 0]);
  h = afterProbe(h, probe(1), false, 2);
  assert.deepEqual([h.status, h.failingStreak], ['healthy', 1], 'one failure does not flip a healthy container');
});

test('health: failures inside the start period do not count; a success ends it', () => {
  let h = afterProbe(initialHealth(), probe(1), true, 1);
  assert.deepEqual([h.status, h.failingStreak], ['starting', 0]);
  h = afterProbe(h, probe(0), true, 1);
  assert.equal(h.status, 'healthy');
  h = afterProbe(h, probe(1), true, 1);
  assert.equal(h.status, 'unhealthy', 'once healthy, start period failures count');
});

test('health: only the last 5 probes are kept; restartCount is carried', () => {
  let h = initialHealth(4);
  for (let i = 0; i < 7; i++) h = afterProbe(h, probe(0, `run ${i}`), false, 3);
  assert.deepEqual(
    h.log.map((p) => p.output),
    ['run 2', 'run 3', 'run 4', 'run 5', 'run 6'],
  );
  assert.equal(h.restartCount, 4);
});

test('probe timing: start_interval while starting in the start period, defaults for zeros', () => {
  const hc = {
    test: ['CMD', 'true'],
    intervalMs: 1000,
    timeoutMs: 0,
    retries: 0,
    startPeriodMs: 5000,
    startIntervalMs: 100,
  };
  assert.equal(nextProbeIn(hc, 'starting', true), 100);
  assert.equal(nextProbeIn(hc, 'healthy', true), 1000);
  assert.equal(nextProbeIn(hc, 'starting', false), 1000);
  assert.deepEqual(timing({ ...hc, intervalMs: 0, startIntervalMs: 0 }), {
    interval: 30_000,
    timeout: 30_000,
    retries: 3,
    startPeriod: 5000,
    startInterval: 5000,
  });
});

test('probe command: CMD as given, CMD-SHELL through sh -c, NONE nothing', () => {
  assert.deepEqual(probeArgs(['CMD', 'curl', '-f', 'x']), ['curl', '-f', 'x']);
  assert.deepEqual(probeArgs(['CMD-SHELL', 'test -f /ok || exit 1']), ['/bin/sh', '-c', 'test -f /ok || exit 1']);
  assert.equal(probeArgs(['NONE']), undefined);
  assert.equal(probeArgs(['CMD']), undefined);
});
