// `gantry events` as a user runs it: the journal's history with --since/--until (create, start,
// die with its exit code, health_status, exec_* of the healthcheck), the SERVICE filter, the
// text form Compose prints, and following live events (kill, die, stop, destroy) until Ctrl-C.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { GANTRY_BIN } from '../helpers/cli.ts';

const IMG = 'gantry-test/busybox:latest';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Ev {
  time: string;
  type: string;
  action: string;
  id: string;
  service: string;
  attributes: Record<string, string>;
}
const parse = (out: string): Ev[] =>
  out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Ev);

test('gantry events', { timeout: 240_000 }, async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}ev`;
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  web:
    image: ${IMG}
    command: ["sleep", "1000"]
    labels: {tier: front}
    healthcheck: {test: ["CMD", "true"], interval: 1s, start_period: 0s}
  job: {image: ${IMG}, command: ["sh", "-c", "exit 3"]}
`,
  });
  const t0 = new Date(Date.now() - 1000).toISOString();
  const up = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  const history = async (...args: string[]) => {
    const r = await e.gantry(['events', '--json', '--since', t0, '--until', new Date().toISOString(), ...args], {
      cwd: dir,
    });
    assert.equal(r.exitCode, 0, r.stderr);
    return parse(r.stdout);
  };

  await t.test('--since/--until replay the journal: lifecycle, exit code, health, healthcheck exec', async () => {
    let evs: Ev[] = [];
    for (let i = 0; i < 50; i++) {
      // the job's die and the first healthy probe come on their own time
      evs = await history();
      if (evs.some((x) => x.action === 'die') && evs.some((x) => x.action === 'health_status: healthy')) break;
      await sleep(200);
    }
    const of = (svc: string) => evs.filter((x) => x.service === svc).map((x) => x.action);
    assert.deepEqual(of('job'), ['create', 'start', 'die']);
    const die = evs.find((x) => x.action === 'die')!;
    assert.equal(die.attributes['exitCode'], '3');
    assert.equal(die.id, `${name}-job-1`);
    assert.equal(die.type, 'container');
    assert.deepEqual(of('web').slice(0, 2), ['create', 'start']);
    assert.ok(of('web').includes('health_status: healthy'), of('web').join(','));
    assert.ok(
      of('web').some((a) => a === 'exec_start: true'),
      'the healthcheck probe runs as an exec',
    );
    const web = evs.find((x) => x.service === 'web')!;
    assert.equal(web.attributes['name'], `${name}-web-1`);
    assert.equal(web.attributes['tier'], 'front', 'user labels are attributes');
    assert.ok(!Object.keys(web.attributes).some((k) => k.startsWith('com.docker.compose.')), 'compose labels are not');
    assert.match(web.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  });

  await t.test('SERVICE filter and the text form', async () => {
    assert.deepEqual([...new Set((await history('job')).map((x) => x.service))], ['job']);
    const r = await e.gantry(['events', '--since', t0, '--until', new Date().toISOString(), 'job'], { cwd: dir });
    assert.equal(r.exitCode, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.match(
      lines[2]!,
      new RegExp(
        `^\\d{4}-\\d\\d-\\d\\dT[\\d:.]{18}Z container die ${name}-job-1 \\(exitCode=3, name=${name}-job-1\\)$`,
      ),
    );
  });

  await t.test('follows live events from now until interrupted', async () => {
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', GANTRY_ROOT: e.root, HOME: e.root };
    const child = spawn(process.execPath, [GANTRY_BIN, 'events', '--json', 'web'], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    t.after(() => void child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // The follower starts at the journal's end: the healthcheck's exec_* events (every second) show
    // it got there, however long its start took under load, before the events below happen.
    const live = Date.now() + 30_000;
    while (!parse(out).some((x) => x.action.startsWith('exec_')) && Date.now() < live) await sleep(100);
    assert.ok(parse(out).length > 0, `the follower printed no live event within 30 s: ${out}`);
    assert.equal(parse(out).filter((x) => x.action === 'create').length, 0, 'nothing from before it started');
    // sleep as PID 1 ignores SIGTERM: after the grace period it gets SIGKILL, as under Docker
    assert.equal((await e.gantry(['down', '-t', '1'], { cwd: dir })).exitCode, 0);
    const deadline = Date.now() + 20_000;
    while (!parse(out).some((x) => x.action === 'stop') && Date.now() < deadline) await sleep(100);
    const lifecycle = parse(out).filter((x) => !x.action.startsWith('exec_') && !x.action.startsWith('health_status'));
    assert.deepEqual(
      lifecycle.slice(0, 4).map((x) => x.action),
      ['kill', 'kill', 'die', 'stop'],
      out,
    );
    assert.deepEqual(
      lifecycle.slice(0, 2).map((x) => x.attributes['signal']),
      ['15', '9'],
    );
    assert.equal(lifecycle[2]!.attributes['exitCode'], '137');
    assert.ok(parse(out).every((x) => x.service === 'web'));
    while (!parse(out).some((x) => x.action === 'destroy') && Date.now() < deadline) await sleep(100);
    assert.ok(
      parse(out).some((x) => x.action === 'destroy'),
      'down destroys the container',
    );
    child.kill('SIGINT');
    assert.equal(await exited, 0, 'Ctrl-C ends events quietly');
  });
});
