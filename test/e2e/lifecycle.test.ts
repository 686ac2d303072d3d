// stop / start / restart / kill through the CLI with restart policies: what the user stops or
// kills stays stopped (always and unless-stopped included), start/restart/up bring it back under
// its policy; dependents stop before their dependencies; kill -s USR1 reaches a trap.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { IMG, psAll, restartsOf, sleep, stateOf, stored, uniq, until } from './lifecycle-helpers.ts';

const e = await e2eRoot((fn) => after(fn));

test('stop/start/restart/kill: user stops are not restarted by the policy, order and signals as Compose', async () => {
  const name = uniq('lc');
  const loop = `trap 'echo got-usr1' USR1; trap 'echo bye; exit 0' TERM; echo started; while true; do sleep 0.1; done`;
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  db: {image: ${IMG}, restart: unless-stopped, command: ["sh", "-c", "${loop}"]}
  web: {image: ${IMG}, restart: always, depends_on: [db], command: ["sh", "-c", "${loop}"]}
`,
  });
  const id = (svc: string) => `${name}-${svc}-1`;
  const g = (...args: string[]) => e.gantry(args, { cwd: dir });
  assert.equal((await g('up', '-d')).exitCode, 0);

  const usr1 = await g('kill', '-s', 'USR1', 'web');
  assert.equal(usr1.exitCode, 0, usr1.stderr);
  assert.match(usr1.stderr, new RegExp(`Container ${id('web')}  Killed`));
  let logs = '';
  for (let i = 0; i < 60 && !logs.includes('got-usr1'); i++)
    logs = (await sleep(200), (await g('logs', '--no-log-prefix', 'web')).stdout);
  assert.match(logs, /got-usr1/);
  assert.equal(await stateOf(e, dir, 'web'), 'running');

  const stopWeb = await g('stop', '-t', '5', 'web');
  assert.equal(stopWeb.exitCode, 0, stopWeb.stderr);
  assert.match(stopWeb.stderr, new RegExp(`Container ${id('web')}  Stopped`));
  await sleep(1500); // well past the supervisor's first back-off (100 ms)
  assert.equal(
    await stateOf(e, dir, 'web'),
    'exited',
    'restart: always must not restart a container stopped by the user',
  );
  assert.equal(await stateOf(e, dir, 'db'), 'running');
  assert.equal(restartsOf(e.root, name, id('web')), 0);

  const start = await g('start', 'web');
  assert.equal(start.exitCode, 0, start.stderr);
  assert.match(start.stderr, new RegExp(`Container ${id('web')}  Started`));
  assert.equal(await stateOf(e, dir, 'web'), 'running');

  // Without services: all of them, dependents first; unless-stopped stays stopped too.
  const stopAll = await g('stop', '-t', '5');
  assert.equal(stopAll.exitCode, 0, stopAll.stderr);
  assert.ok(
    stopAll.stderr.indexOf(`${id('web')}  Stopped`) < stopAll.stderr.indexOf(`${id('db')}  Stopped`),
    stopAll.stderr,
  );
  await sleep(1500);
  assert.deepEqual(
    (await psAll(e, dir)).map((r) => [r.Service, r.State, r.ExitCode]),
    [
      ['db', 'exited', 0],
      ['web', 'exited', 0],
    ],
  );
  const startAll = await g('start');
  assert.equal(startAll.exitCode, 0, startAll.stderr);
  assert.ok(
    startAll.stderr.indexOf(`${id('db')}  Started`) < startAll.stderr.indexOf(`${id('web')}  Started`),
    startAll.stderr,
  );

  // restart --no-deps: only web gets a new run; plain restart of web never restarts db (its
  // dependency), as Compose: only `depends_on: {restart: true}` dependents follow a restart.
  const [web0, db0] = [stored(e.root, id('web')).started, stored(e.root, id('db')).started];
  const r1 = await g('restart', '--no-deps', '-t', '5', 'web');
  assert.equal(r1.exitCode, 0, r1.stderr);
  assert.notEqual(stored(e.root, id('web')).started, web0);
  assert.equal(stored(e.root, id('db')).started, db0);
  const web1 = stored(e.root, id('web')).started;
  const r2 = await g('restart', '-t', '5', 'web');
  assert.equal(r2.exitCode, 0, r2.stderr);
  assert.notEqual(stored(e.root, id('web')).started, web1);
  assert.equal(stored(e.root, id('db')).started, db0);
  assert.deepEqual(
    (await psAll(e, dir)).map((r) => r.State),
    ['running', 'running'],
  );

  // kill (SIGKILL by default) is a stop by the user: exit 137, never restarted.
  const kill = await g('kill', 'web');
  assert.equal(kill.exitCode, 0, kill.stderr);
  assert.equal(await until(e, dir, 'web', 'exited'), 'exited');
  await sleep(1500);
  const killed = (await psAll(e, dir)).find((r) => r.Service === 'web');
  assert.deepEqual([killed?.State, killed?.ExitCode], ['exited', 137]);
  assert.equal(restartsOf(e.root, name, id('web')), 0);
  // Another service's restart rewrites the supervision set: the mark of the stopped web survives it.
  assert.equal((await g('restart', '--no-deps', '-t', '5', 'db')).exitCode, 0);
  await sleep(1500);
  assert.equal(await stateOf(e, dir, 'web'), 'exited');
  assert.equal(restartsOf(e.root, name, id('web')), 0);

  // `gantry container stop` of a project's container marks it too.
  const cstop = await g('container', 'stop', '-t', '5', id('db'));
  assert.equal(cstop.exitCode, 0, cstop.stderr);
  await sleep(1500);
  assert.equal(await stateOf(e, dir, 'db'), 'exited');

  // up starts both again, and then the policy is back: a crash (PID 1 killed from outside) is restarted.
  assert.equal((await g('up', '-d')).exitCode, 0);
  assert.deepEqual(
    (await psAll(e, dir)).map((r) => r.State),
    ['running', 'running'],
  );
  process.kill(stored(e.root, id('web')).pid!, 'SIGKILL');
  const end = Date.now() + 20_000;
  while (restartsOf(e.root, name, id('web')) < 1 && Date.now() < end) await sleep(150);
  assert.equal(restartsOf(e.root, name, id('web')), 1);
  assert.equal(await until(e, dir, 'web', 'running'), 'running');

  // `gantry container kill` (SIGKILL) of a project's container is a stop by the user as well.
  assert.equal((await g('container', 'kill', id('db'))).exitCode, 0);
  assert.equal(await until(e, dir, 'db', 'exited'), 'exited');
  await sleep(1500);
  assert.equal(await stateOf(e, dir, 'db'), 'exited');
  assert.equal(restartsOf(e.root, name, id('db')), 0);
});

test('start/stop/kill name unknown services with exit 1; start of a project never up says so', async () => {
  const name = uniq('lcerr');
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}\nservices:\n  a: {image: ${IMG}, command: [sleep, "100"]}\n`,
  });
  for (const verb of ['stop', 'start', 'kill', 'restart', 'pause', 'top']) {
    const r = await e.gantry([verb, 'nope'], { cwd: dir });
    assert.equal(r.exitCode, 1, `${verb}: ${r.stderr}`);
    assert.match(r.stderr, /no such service: nope/);
  }
  const start = await e.gantry(['start'], { cwd: dir });
  assert.equal(start.exitCode, 1);
  assert.match(start.stderr, /no containers to start/);
});

test('ps: a crash-looping container between two runs is restarting, as Docker shows it; stopped by the user it is exited', async () => {
  const name = uniq('lcrs');
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}\nservices:\n  crash: {image: ${IMG}, restart: always, command: ["sh", "-c", "exit 3"]}\n`,
  });
  assert.equal((await e.gantry(['up', '-d'], { cwd: dir })).exitCode, 0);
  // The back-off doubles from 100 ms: after a few crashes the gap between runs is long enough to see.
  const end = Date.now() + 30_000;
  let row: { State: string; Status: string } | undefined;
  while (Date.now() < end) {
    row = (await psAll(e, dir))[0];
    if (row?.State === 'restarting') break;
    await sleep(100);
  }
  assert.deepEqual([row?.State, row?.Status], ['restarting', 'Restarting (3)']);
  // The next run may already be under way (created, then running): look again until a gap shows.
  let plain = '';
  for (let i = 0; i < 50 && !/Restarting \(3\)/.test(plain); i++) plain = (await e.gantry(['ps'], { cwd: dir })).stdout;
  assert.match(plain, /Restarting \(3\)/, 'ps without -a lists it');
  assert.ok(restartsOf(e.root, name, `${name}-crash-1`) >= 1);
  assert.equal((await e.gantry(['stop', '-t', '1'], { cwd: dir })).exitCode, 0);
  await sleep(1000);
  const stopped = (await psAll(e, dir))[0];
  assert.deepEqual([stopped?.State, stopped?.Status], ['exited', 'Exited (3)']);
});
