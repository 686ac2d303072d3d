// `gantry stats` over real containers: CPU % from two cgroup samples (a busy loop against an idle
// sleep), memory against the limit, NET I/O from the container's netns, PIDs, -a, SERVICE, the
// table form, and streaming until Ctrl-C.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { GANTRY_BIN } from '../helpers/cli.ts';

const IMG = 'gantry-test/busybox:latest';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Row {
  ID: string;
  Name: string;
  CPUPerc: string;
  MemUsage: string;
  MemPerc: string;
  NetIO: string;
  BlockIO: string;
  PIDs: string;
}
const rowsOf = (out: string): Row[] =>
  out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Row);
const pct = (s: string) => Number(s.replace('%', ''));

test('gantry stats', { timeout: 180_000 }, async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}st`;
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  busy:
    image: ${IMG}
    command: ["sh", "-c", "while :; do :; done"]
    deploy: {resources: {limits: {memory: 64m}}}
  idle: {image: ${IMG}, command: ["sh", "-c", "ping -c 3 busy; sleep 1000"]}
  job: {image: ${IMG}, command: ["true"]}
`,
  });
  assert.equal((await e.gantry(['up', '-d'], { cwd: dir })).exitCode, 0);
  const stats = async (...args: string[]) => {
    const r = await e.gantry(['stats', '--no-stream', '--format', 'json', ...args], { cwd: dir });
    assert.equal(r.exitCode, 0, r.stderr);
    return rowsOf(r.stdout);
  };
  await sleep(3000); // the pings go out, the loop spins

  await t.test("--no-stream json: running containers with Docker's fields", async () => {
    const rows = await stats();
    assert.deepEqual(
      rows.map((r) => r.Name),
      [`${name}-busy-1`, `${name}-idle-1`],
    );
    const [busy, idle] = rows as [Row, Row];
    assert.ok(pct(busy.CPUPerc) > 5, `a busy loop uses CPU: ${busy.CPUPerc}`);
    assert.ok(pct(idle.CPUPerc) < pct(busy.CPUPerc), `sleep uses less: ${idle.CPUPerc}`);
    assert.match(busy.MemUsage, /^[\d.]+(B|KiB|MiB) \/ 64MiB$/);
    assert.ok(pct(busy.MemPerc) > 0 && pct(busy.MemPerc) < 100, busy.MemPerc);
    assert.match(idle.MemUsage, /^[\d.]+(B|KiB|MiB) \/ [\d.]+GiB$/, 'no limit: the host memory');
    assert.match(idle.NetIO, /^[\d.]+(B|kB|MB) \/ [\d.]+(B|kB|MB)$/);
    assert.notEqual(idle.NetIO.split(' / ')[1], '0B', 'the pings were sent from its netns');
    assert.match(busy.BlockIO, /^[\d.]+(B|kB|MB|GB) \/ [\d.]+(B|kB|MB|GB)$/);
    assert.ok(Number(busy.PIDs) >= 1 && busy.ID === busy.Name);
  });

  await t.test('-a adds stopped containers with zeros; SERVICE filters', async () => {
    const job = (await stats('-a')).find((r) => r.Name === `${name}-job-1`);
    assert.deepEqual(job && [job.CPUPerc, job.NetIO, job.PIDs], ['0.00%', '0B / 0B', '0']);
    assert.deepEqual(
      (await stats('idle')).map((r) => r.Name),
      [`${name}-idle-1`],
    );
  });

  await t.test('table form', async () => {
    const r = await e.gantry(['stats', '--no-stream', 'busy'], { cwd: dir });
    assert.equal(r.exitCode, 0, r.stderr);
    const [head, row] = r.stdout.trimEnd().split('\n');
    assert.match(head!, /^NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS$/);
    assert.match(row!, new RegExp(`^${name}-busy-1\\s+[\\d.]+%\\s+\\S+ / 64MiB\\s+[\\d.]+%`));
    assert.equal((await e.gantry(['stats', '--format', 'csv'], { cwd: dir })).exitCode, 2);
  });

  await t.test('streams rounds until Ctrl-C', async () => {
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', GANTRY_ROOT: e.root, HOME: e.root };
    const child = spawn(process.execPath, [GANTRY_BIN, 'stats', '--format', 'json', 'busy'], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    t.after(() => void child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const deadline = Date.now() + 30_000;
    while (rowsOf(out).length < 3 && Date.now() < deadline) await sleep(100);
    assert.ok(rowsOf(out).length >= 3, 'a new round every second');
    child.kill('SIGINT');
    assert.equal(await exited, 0);
  });
});
