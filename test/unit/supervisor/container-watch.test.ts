// ContainerWatch's decisions over a scripted runtime (state, start and exec answers chosen by the
// test; no kernel involved): back-off between restarts and its reset after a long run, a
// stoppedByUser written after the last reload, adoption keeping the health file, and health
// reset on a new run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerState, Runtime } from '../../../src/runtime/index.ts';
import { ContainerWatch } from '../../../src/supervisor/container-watch.ts';
import { runningState } from '../../helpers/supervised.ts';
import { SUPERVISION_LABEL, type HealthState, type SupervisedContainer } from '../../../src/supervisor/contract.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const iso = (ms: number) => new Date(ms).toISOString();

function scripted(): { rt: Runtime; starts: number[]; state: { current: ContainerState }; events: string[] } {
  const base = runningState('c');
  const state = { current: base };
  const starts: number[] = [];
  const events: string[] = [];
  const rt = {
    recordEvent: (_id: string, action: string) => void events.push(action),
    state: () => state.current,
    start: async () => {
      starts.push(Date.now());
      state.current = {
        ...state.current,
        status: 'running',
        started: iso(Date.now()),
        finished: undefined,
        exitCode: undefined,
      };
      return {} as never;
    },
    spec: () => ({ process: { args: [], env: [], cwd: '/' } }),
    exec: async () => ({ exitCode: 0, stdout: 'ok', stderr: '', timedOut: false }),
  } as unknown as Runtime;
  return { rt, starts, state, events };
}

function setup(t: { after: (fn: () => void) => void }, c: Partial<SupervisedContainer>, stoppedNow = () => false) {
  const dir = mkdtempSync(join(tmpdir(), `gantry-watch-${process.pid}-`));
  const s = scripted();
  const container: SupervisedContainer = {
    id: 'c',
    service: 's',
    number: 1,
    restart: { kind: 'always' },
    endpoints: [],
    ports: [],
    ...c,
  };
  const w = new ContainerWatch(container, {
    rt: s.rt,
    healthDir: dir,
    log: () => undefined,
    stoppedByUserNow: stoppedNow,
  });
  t.after(() => {
    w.close(false);
    rmSync(dir, { recursive: true, force: true });
  });
  const exit = (code: number, ranMs = 50) => {
    const now = Date.now();
    s.state.current = {
      ...s.state.current,
      status: 'exited',
      started: iso(now - ranMs),
      finished: iso(now),
      exitCode: code,
    };
  };
  const health = () => JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8')) as HealthState;
  return { w, s, exit, health, dir };
}

// Waits for the n-th start, not a fixed time: a loaded machine fires timers late (this test's fixed sleeps
// failed at load 35), and a late timer only makes a back-off longer, never shorter.
async function startsReach(starts: readonly number[], n: number): Promise<void> {
  for (const until = Date.now() + 10_000; starts.length < n && Date.now() < until;) await sleep(10);
}

test('restarts back off 100, 200, 400 ms and reset after a 10 s run', async (t) => {
  const { w, s, exit, health } = setup(t, {});
  w.observe(s.state.current);
  for (let i = 0; i < 3; i++) {
    exit(1);
    w.observe(s.state.current);
    await startsReach(s.starts, i + 1);
    w.observe(s.state.current); // the new run
  }
  const gaps = s.starts.map((at, i) => at - (i === 0 ? s.starts[0]! : s.starts[i - 1]!)).slice(1);
  assert.equal(s.starts.length, 3);
  assert.ok(gaps[0]! >= 190 && gaps[1]! >= 390, `gaps ${gaps.join(',')}`);
  assert.equal(health().restartCount, 3);
  assert.deepEqual(s.events, ['restart', 'restart', 'restart'], 'each restart is journalled');
  const before = Date.now();
  exit(1, 11_000); // a long, stable run: the next restart is quick again
  w.observe(s.state.current);
  await startsReach(s.starts, 4);
  assert.equal(s.starts.length, 4);
  // Without the reset this back-off would be 800 ms (it can only come later, never earlier).
  assert.ok(s.starts[3]! - before < 790, `restart after ${s.starts[3]! - before} ms`);
});

test('a stoppedByUser written after the last reload is honoured at restart time', async (t) => {
  let stopped = false;
  const { w, s, exit } = setup(t, {}, () => stopped);
  w.observe(s.state.current);
  exit(0);
  w.observe(s.state.current);
  stopped = true; // `gantry stop` rewrote supervision.json during the back-off
  await sleep(200);
  assert.equal(s.starts.length, 0);
});

test('on-failure counts restarts across a supervisor restart (health file adoption)', async (t) => {
  const { s, exit, dir } = setup(t, { restart: { kind: 'on-failure', maxRetries: 2 } });
  writeFileSync(join(dir, 'c.json'), JSON.stringify({ status: 'healthy', failingStreak: 0, log: [], restartCount: 2 }));
  const w2 = new ContainerWatch(
    { id: 'c', service: 's', number: 1, restart: { kind: 'on-failure', maxRetries: 2 }, endpoints: [], ports: [] },
    { rt: s.rt, healthDir: dir, log: () => undefined, stoppedByUserNow: () => false },
  );
  t.after(() => w2.close(false));
  w2.observe(s.state.current);
  assert.equal(
    (JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8')) as HealthState).status,
    'healthy',
    'adoption keeps the status',
  );
  exit(1);
  w2.observe(s.state.current);
  await sleep(200);
  assert.equal(s.starts.length, 0, 'two restarts were already used');
});

const quick = {
  test: ['CMD', 'true'],
  intervalMs: 30,
  timeoutMs: 1000,
  retries: 1,
  startPeriodMs: 0,
  startIntervalMs: 0,
};
const slow = { ...quick, test: ['CMD', 'false'], intervalMs: 60_000, startPeriodMs: 60_000, startIntervalMs: 60_000 };

test('health: probes turn a run healthy; a new run starts over; removal deletes the file', async (t) => {
  const { w, s, exit, health, dir } = setup(t, {
    restart: { kind: 'always' },
    healthcheck: quick,
  });
  w.observe(s.state.current);
  assert.equal(health().status, 'starting');
  await sleep(120);
  assert.equal(health().status, 'healthy');
  assert.deepEqual(s.events, ['health_status: healthy'], 'one event per change, none for repeated passes');
  exit(137);
  w.observe(s.state.current);
  await sleep(150);
  w.observe(s.state.current);
  assert.equal(health().restartCount, 1);
  assert.equal(health().status, 'starting', 'a new run is unproven again');
  w.close(true);
  assert.equal(existsSync(join(dir, 'c.json')), false);
});

test('a recreated container is probed on the schedule it was created with, before its set arrives', async (t) => {
  const { w, s, health } = setup(t, { healthcheck: quick });
  w.observe(s.state.current);
  await sleep(100);
  assert.equal(health().status, 'healthy');
  // `up` recreated it with a 60 s start_interval; the poll sees it before the new set is applied
  const own = JSON.stringify({
    id: 'c',
    service: 's',
    number: 1,
    restart: { kind: 'no' },
    endpoints: [],
    ports: [],
    healthcheck: slow,
  });
  s.state.current = {
    ...s.state.current,
    created: iso(1),
    started: iso(Date.now()),
    labels: { [SUPERVISION_LABEL]: own },
  };
  w.observe(s.state.current);
  await sleep(150);
  assert.deepEqual([health().status, health().log], ['starting', []], "no probe on the predecessor's schedule");
});

test("a set applied while a probe waits re-times it by the set's healthcheck", async (t) => {
  const { w, s, health } = setup(t, { healthcheck: { ...quick, intervalMs: 60, startIntervalMs: 60 } });
  w.observe(s.state.current);
  const base = { id: 'c', service: 's', number: 1, restart: { kind: 'always' as const }, endpoints: [], ports: [] };
  w.reconfigure({ ...base, healthcheck: slow });
  await sleep(150);
  assert.deepEqual([health().status, health().log], ['starting', []], 'the waiting probe was timed again');
});
