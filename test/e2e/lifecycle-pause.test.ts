// pause / unpause through the cgroup freezer, checked from the host: the container's processes
// are frozen (state D, freezer FROZEN), ps says paused, exec is refused, the writes of a
// ticking loop stop; unpause thaws it, and a paused container can still be stopped.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { IMG, psAll, sleep, stored, uniq } from './lifecycle-helpers.ts';

const e = await e2eRoot((fn) => after(fn));

const procState = (pid: number): string =>
  /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '?';
const freezerOf = (id: string): string[] =>
  execFileSync('find', ['/sys/fs/cgroup/freezer/gantry', '-maxdepth', '1', '-name', `${id}.*`])
    .toString()
    .split('\n')
    .filter(Boolean);

test('pause freezes every process of the container, unpause thaws, stop works on a paused one', async () => {
  const name = uniq('pz');
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  tick: {image: ${IMG}, command: ["sh", "-c", "trap 'exit 7' TERM; i=0; while true; do i=$$((i+1)); echo $$i > /tmp/n; sleep 0.05; done"]}
`,
  });
  const id = `${name}-tick-1`;
  const g = (...args: string[]) => e.gantry(args, { cwd: dir });
  // `echo $i > /tmp/n` truncates before it writes: a read in between sees an empty file (0), which failed
  // "ticks again" under CI's load. An empty read is read again.
  const counter = async () => {
    for (let i = 0; ; i++) {
      const n = (await g('container', 'exec', id, 'cat', '/tmp/n')).stdout.trim();
      if (n !== '' || i === 20) return n;
    }
  };
  assert.equal((await g('up', '-d')).exitCode, 0);
  await sleep(300);
  const pid = stored(e.root, id).pid!;

  const pause = await g('pause', 'tick');
  assert.equal(pause.exitCode, 0, pause.stderr);
  assert.match(pause.stderr, new RegExp(`Container ${id}  Paused`));
  const row = (await psAll(e, dir))[0]!;
  assert.deepEqual([row.State, row.Status], ['paused', 'Up (Paused)']);
  assert.match((await g('ps')).stdout, new RegExp(`${id}.*Up \\(Paused\\)`), 'ps without -a lists paused containers');
  assert.equal(procState(pid), 'D');
  // The loop's file, read from the host in the writable layer: no tick while frozen.
  const upperN = () => readFileSync(join(e.root, 'containers', id, 'upper', 'tmp', 'n'), 'utf8');
  const frozenN = upperN();
  await sleep(600);
  assert.equal(upperN(), frozenN);
  const [freezer] = freezerOf(id);
  assert.ok(freezer, 'the container has a v1 freezer group');
  assert.equal(readFileSync(`${freezer}/freezer.state`, 'utf8').trim(), 'FROZEN');

  const exec = await g('container', 'exec', id, 'true');
  assert.notEqual(exec.exitCode, 0);
  assert.match(exec.stderr, /is paused, unpause the container first/);
  const again = await g('pause', 'tick');
  assert.equal(again.exitCode, 1, 'pausing a paused service fails');

  const unpause = await g('unpause', 'tick');
  assert.equal(unpause.exitCode, 0, unpause.stderr);
  assert.match(unpause.stderr, new RegExp(`Container ${id}  Unpaused`));
  assert.equal(readFileSync(`${freezer}/freezer.state`, 'utf8').trim(), 'THAWED');
  assert.equal((await psAll(e, dir))[0]!.State, 'running');
  const n1 = Number(await counter());
  await sleep(500);
  assert.ok(Number(await counter()) > n1, 'the loop ticks again after unpause');

  // Frozen, the loop makes no progress at all; stop thaws it so the signal is delivered.
  assert.equal((await g('pause')).exitCode, 0);
  const frozenAt = readFileSync(`${freezer}/freezer.state`, 'utf8').trim();
  const stop = await g('stop', '-t', '5');
  assert.equal(stop.exitCode, 0, stop.stderr);
  assert.equal(frozenAt, 'FROZEN');
  const end = (await psAll(e, dir))[0]!;
  assert.equal(end.State, 'exited');
  assert.equal(end.ExitCode, 7, 'SIGTERM reached the trap after the thaw (no SIGKILL needed)');
});

test('health checks wait while paused: no failure counted, probes go on after unpause', async () => {
  const name = uniq('pzh');
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  hc:
    image: ${IMG}
    init: true
    command: [sleep, "600"]
    healthcheck: {test: ["CMD", "true"], interval: 200ms, timeout: 500ms, retries: 1}
`,
  });
  const id = `${name}-hc-1`;
  const healthFile = () =>
    JSON.parse(readFileSync(join(e.root, 'projects', name, 'health', `${id}.json`), 'utf8')) as {
      status: string;
      failingStreak: number;
      log: { start: string; exitCode: number }[];
    };
  const up = await e.gantry(['up', '-d', '--wait'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  assert.equal((await e.gantry(['pause'], { cwd: dir })).exitCode, 0);
  await sleep(1500); // several intervals
  const frozen = healthFile();
  assert.deepEqual([frozen.status, frozen.failingStreak], ['healthy', 0]);
  assert.ok(
    frozen.log.every((p) => p.exitCode === 0),
    JSON.stringify(frozen.log),
  );
  const thawedAt = new Date().toISOString();
  assert.equal((await e.gantry(['unpause'], { cwd: dir })).exitCode, 0);
  const end = Date.now() + 60_000;
  while (!healthFile().log.some((p) => p.start > thawedAt) && Date.now() < end) await sleep(100);
  assert.ok(
    healthFile().log.some((p) => p.start > thawedAt && p.exitCode === 0),
    'a probe ran after unpause',
  );
  assert.equal((await psAll(e, dir))[0]!.Health, 'healthy');
});
