// top, wait and port through the CLI: top lists each container's processes from its cgroup in
// ps -ef columns (host pids); wait exits with the code of the first container to stop and with
// --down-project takes the project down; port prints the HOST:PORT `up` published.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { IMG, psAll, uniq } from './lifecycle-helpers.ts';

const e = await e2eRoot((fn) => after(fn));

test('top shows every process of each running container as ps -ef does', async () => {
  const name = uniq('top');
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  web: {image: ${IMG}, command: ["sh", "-c", "sleep 1001 & sleep 1002 & wait"]}
  done: {image: ${IMG}, command: ["true"]}
`,
  });
  assert.equal((await e.gantry(['up', '-d'], { cwd: dir })).exitCode, 0);
  const top = await e.gantry(['top'], { cwd: dir });
  assert.equal(top.exitCode, 0, top.stderr);
  const lines = top.stdout.trimEnd().split('\n');
  assert.equal(lines[0], `${name}-web-1`);
  assert.deepEqual(lines[1]!.split(/\s+/), ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']);
  const rows = lines.slice(2).map((l) => l.split(/\s+/));
  assert.equal(rows.length, 3, top.stdout);
  const cmd = (r: string[]) => r.slice(7).join(' ');
  assert.deepEqual(rows.map(cmd).sort(), ['sh -c sleep 1001 & sleep 1002 & wait', 'sleep 1001', 'sleep 1002']);
  const sh = rows.find((r) => cmd(r).startsWith('sh'))!;
  for (const r of rows) {
    assert.equal(r[0], 'root');
    assert.ok(existsSync(`/proc/${r[1]}`), `host pid ${r[1]}`);
    assert.match(r[4]!, /^\d\d:\d\d$|^[A-Z][a-z]{2}\d\d$/);
    assert.equal(r[5], '?');
    assert.match(r[6]!, /^\d\d:\d\d:\d\d$/);
  }
  for (const r of rows.filter((x) => x !== sh)) assert.equal(r[2], sh[1], 'the sleeps are children of the shell');
  assert.ok(!top.stdout.includes(`${name}-done-1`), 'exited containers are not listed');
});

test('wait: exit code of the first container to stop; --down-project removes the project', async () => {
  const name = uniq('wait');
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  job: {image: ${IMG}, command: ["sh", "-c", "sleep 1; exit 3"]}
  slow: {image: ${IMG}, command: [sleep, "1000"]}
`,
  });
  assert.equal((await e.gantry(['up', '-d'], { cwd: dir })).exitCode, 0);
  const w = await e.gantry(['wait', 'job', 'slow'], { cwd: dir });
  assert.equal(w.exitCode, 3, w.stderr);
  assert.deepEqual(
    (await psAll(e, dir)).map((r) => [r.Service, r.State]),
    [
      ['job', 'exited'],
      ['slow', 'running'],
    ],
  );
  const none = await e.gantry(['wait'], { cwd: dir });
  assert.notEqual(none.exitCode, 0);

  assert.equal((await e.gantry(['restart', 'job'], { cwd: dir })).exitCode, 0);
  const down = await e.gantry(['wait', '--down-project', 'job'], { cwd: dir });
  assert.equal(down.exitCode, 3, down.stderr);
  assert.deepEqual(await psAll(e, dir), []);
});

test('port prints the published HOST:PORT per protocol and index, errors name what is missing', async () => {
  const name = uniq('port');
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  web: {image: ${IMG}, command: [sleep, "1000"], ports: ["80", "127.0.0.1::53/udp"]}
`,
  });
  assert.equal((await e.gantry(['up', '-d'], { cwd: dir })).exitCode, 0);
  const pub = (await psAll(e, dir))[0]!.Publishers;
  const tcp = pub.find((p) => p.Protocol === 'tcp')!;
  const udp = pub.find((p) => p.Protocol === 'udp')!;
  const r = await e.gantry(['port', 'web', '80'], { cwd: dir });
  assert.equal(r.exitCode, 0, r.stderr);
  assert.equal(r.stdout, `0.0.0.0:${tcp.PublishedPort}\n`);
  const u = await e.gantry(['port', '--protocol', 'udp', 'web', '53'], { cwd: dir });
  assert.equal(u.stdout, `127.0.0.1:${udp.PublishedPort}\n`);
  const missing = await e.gantry(['port', 'web', '81'], { cwd: dir });
  assert.equal(missing.exitCode, 1);
  assert.match(missing.stderr, new RegExp(`no port 81/tcp for container ${name}-web-1`));
  const index = await e.gantry(['port', '--index', '2', 'web', '80'], { cwd: dir });
  assert.equal(index.exitCode, 1);
  assert.match(index.stderr, /no container with index 2/);
  assert.equal((await e.gantry(['port', '--protocol', 'sctp', 'web', '80'], { cwd: dir })).exitCode, 2);
});
