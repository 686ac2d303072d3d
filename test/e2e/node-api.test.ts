// The Node API against real containers: compose(...).up() of a two-service stack, waits by HTTP and
// by log line, a published port chosen at random and read back, exec with its output captured,
// logs as text and as a followed iterable, lifecycle verbs, copies, typed events, wait errors that
// show what was seen, two environments of the same files side by side, and a down that leaves
// nothing on the host.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { snapshotHost } from '../helpers/host-snapshot.ts';
import { compose, wait, type EnvironmentEvent } from '../../src/index.ts';
import { leaksAfter, scopeOf, STACK } from './api-helpers.ts';

const e = await e2eRoot((fn) => after(fn));
const dir = e.project('apistack', { 'compose.yaml': STACK });
const tmp = mkdtempSync(join(tmpdir(), 'gantry-api-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const stack = () => compose({ files: [join(dir, 'compose.yaml')], root: e.root, stopTimeout: 1 });
const ready = {
  web: wait.forHttp('/health', { port: 80 }),
  worker: wait.forLogLine(/worker ready/),
};

test('up waits by HTTP and log line; port, url, exec, logs, copies and down as a test needs them', async () => {
  const s = stack();
  const started: EnvironmentEvent[] = [];
  s.on('container-started', (ev) => started.push(ev));
  const before = snapshotHost({ root: e.root, networkIds: [], containers: [] });
  const env = await s.up({ wait: true, waitFor: ready });
  try {
    assert.match(env.projectName, /^apistack-[0-9a-f]{10}$/);
    const web = env.service('web');
    const at = await web.port(80);
    assert.equal(at.host, '127.0.0.1');
    assert.ok(at.port > 0 && at.port !== 80, `a free host port, not ${at.port}`);
    const url = await web.url(80, '/health');
    assert.equal(url, `http://127.0.0.1:${at.port}/health`);
    assert.equal(await (await fetch(url)).text(), 'ok\n');

    const r = await web.exec(['sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.deepEqual(r, { exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
    const as = await web.exec('id -u; echo $FOO; pwd', { user: '1000', env: { FOO: 'bar' }, workdir: '/tmp' });
    assert.deepEqual(as, { exitCode: 0, stdout: '1000\nbar\n/tmp\n', stderr: '' });
    assert.equal((await web.exec('cat', { input: 'from stdin' })).stdout, 'from stdin');

    const worker = env.service('worker');
    assert.match(await worker.logs(), /^worker ready\ntick 1\n/);
    const seen: string[] = [];
    for await (const l of worker.logs({ follow: true })) {
      assert.equal(l.service, 'worker');
      seen.push(l.text);
      if (seen.length === 6) break; // the first lines, then at least one written while following
    }
    assert.deepEqual(seen.slice(0, 3), ['worker ready', 'tick 1', 'tick 2']);

    writeFileSync(join(tmp, 'in.txt'), 'copied in\n');
    await web.copyTo(join(tmp, 'in.txt'), '/tmp/in.txt');
    assert.equal((await web.exec(['cat', '/tmp/in.txt'])).stdout, 'copied in\n');
    await web.copyFrom('/www/health', join(tmp, 'health'));
    assert.equal(readFileSync(join(tmp, 'health'), 'utf8'), 'ok\n');

    const exited = new Promise<EnvironmentEvent>((res) => env.on('container-exited', res));
    await worker.kill();
    const x = await exited;
    assert.equal(x.kind === 'container-exited' && x.exitCode, 137);
    assert.equal(x.service, 'worker');
    await worker.start();
    await worker.waitFor(wait.forLogLine(/worker ready/, { count: 2 }));
    await worker.stop();
    assert.equal((await env.ps()).find((p) => p.Service === 'worker')?.State, 'exited');
    await worker.restart();
    assert.equal((await env.ps()).find((p) => p.Service === 'worker')?.State, 'running');

    const names = new Set(started.map((ev) => ev.container));
    assert.deepEqual([...names].sort(), [`${env.projectName}-web-1`, `${env.projectName}-worker-1`]);
  } finally {
    await env[Symbol.asyncDispose]();
  }
  assert.deepEqual(await env.ps(), []);
  assert.deepEqual(await leaksAfter(before, scopeOf(e.root, env.projectName), env.projectName, 5_000), []);
});

test('a wait that does not hold fails at its timeout with what it saw last, one line', async () => {
  await using env = await stack().up({ waitFor: ready });
  const web = env.service('web');
  const worker = env.service('worker');
  const fails = async (p: Promise<void>, re: RegExp): Promise<void> => {
    const err = await p.then(
      () => assert.fail('the wait held'),
      (x: unknown) => x as Error,
    );
    assert.match(err.message, re);
    assert.ok(!err.message.includes('\n'), err.message);
  };
  await fails(
    worker.waitFor(wait.forLogLine(/never printed/, { timeoutMs: 1_000 })),
    /^service worker: waiting for log line \/never printed\/: timed out after 1000 ms; last seen: 0 matching line\(s\); last lines: tick \d+ \| tick \d+ \| tick \d+$/,
  );
  await fails(
    web.waitFor(wait.forHttp('/missing', { port: 80, timeoutMs: 800 })),
    /^service web: waiting for HTTP 200 from GET \/missing on port 80: timed out after 800 ms; last seen: HTTP 404$/,
  );
  await fails(
    web.waitFor(wait.forCommand('echo not yet; exit 4', { timeoutMs: 800 })),
    /timed out after 800 ms; last seen: exit 4: not yet$/,
  );
  await web.waitFor(wait.forListeningPort(80));
  await fails(web.waitFor(wait.forListeningPort(81, { timeoutMs: 600 })), /last seen: listening: 80$/);
  await worker.kill();
  await fails(worker.waitFor(wait.forLogLine(/never/)), /the container is not running \(exit code 137\)/);
});

test('two environments of the same files run side by side: own names, own ports, no shared state', async () => {
  const [a, b] = await Promise.all([stack().up({ waitFor: ready }), stack().up({ waitFor: ready })]);
  try {
    assert.notEqual(a.projectName, b.projectName);
    const [pa, pb] = await Promise.all([a.service('web').port(80), b.service('web').port(80)]);
    assert.notEqual(pa.port, pb.port);
    await a.service('web').exec('echo a > /www/who');
    await b.service('web').exec('echo b > /www/who');
    assert.equal(await (await fetch(await a.service('web').url(80, '/who'))).text(), 'a\n');
    assert.equal(await (await fetch(await b.service('web').url(80, '/who'))).text(), 'b\n');
    await a.down();
    assert.equal((await b.ps()).filter((p) => p.State === 'running').length, 2, 'b is untouched by a.down()');
  } finally {
    await Promise.all([a.down(), b.down()]);
  }
});

test('a failed up takes down what it made and says why', async () => {
  const s = compose({ files: [join(dir, 'compose.yaml')], root: e.root, projectName: `apifail${process.pid}` });
  await assert.rejects(
    s.up({ waitFor: { web: wait.forHttp('/nothing', { port: 80, timeoutMs: 1_000 }) } }),
    /service web: waiting for HTTP 200 from GET \/nothing on port 80: timed out after 1000 ms; last seen: HTTP 404/,
  );
  const left = (
    await e.gantry(['-f', join(dir, 'compose.yaml'), '-p', `apifail${process.pid}`, 'ps', '-a', '-q'])
  ).stdout.trim();
  assert.equal(left, '');
});

test('service() names only services of the project', async () => {
  await using env = await stack().up({ services: ['web'] });
  assert.throws(() => env.service('nope'), /no such service: nope/);
  assert.deepEqual(
    (await env.ps()).map((p) => p.Service),
    ['web'],
  );
});
