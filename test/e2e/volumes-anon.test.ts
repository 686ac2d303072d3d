// Volumes as Compose makes them (issue 15): anonymous volumes (`- /data`) and the image's
// VOLUMEs get one volume per container, kept across a recreate and removed by `down -v` or
// `rm -v`; local driver_opts (bind a host dir, tmpfs); an external volume must exist; the
// `gantry volume` commands. On b78938f `up` refused an anonymous volume and there was no
// `volume` command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { logsUntil } from '../helpers/logs-until.ts';

const IMG = 'gantry-test/busybox:latest';

test('anonymous volumes survive a recreate, down -v removes them; driver_opts bind and tmpfs; external', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}anon`;
  const compose = (marker: string) => `name: ${name}
services:
  app:
    image: ${IMG}
    init: true
    environment: { MARK: ${marker} }
    command: ["sh", "-c", "cat /cache/seen 2>/dev/null | sed s/^/seen=/; echo $$MARK > /cache/seen; echo hi > /host/out; df -k /fast | tail -1 | sed 's/^/fast=/'; echo DONE; exec sleep 600"]
    volumes: ["/cache", "hostdir:/host", "fast:/fast"]
volumes:
  hostdir: { driver: local, driver_opts: { type: none, o: bind, device: HOSTDIR } }
  fast: { driver_opts: { type: tmpfs, device: tmpfs, o: "size=4m" } }
`;
  const dir = e.project(name, { 'compose.yaml': '' });
  const host = join(dir, 'host-side');
  mkdirSync(host);
  const write = (m: string) => writeFileSync(join(dir, 'compose.yaml'), compose(m).replace('HOSTDIR', host));
  write('one');
  const up = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  let out = await logsUntil(e, dir, 'app', (s) => s.includes('DONE'));
  assert.doesNotMatch(out, /seen=/);
  assert.match(out, /^fast=tmpfs\s+4096\s/m, 'a tmpfs volume of 4 MiB');
  assert.equal(readFileSync(join(host, 'out'), 'utf8'), 'hi\n', 'the bind-type volume is the host directory');
  const ls = await e.gantry(['volume', 'ls', '-q']);
  assert.equal(ls.exitCode, 0, ls.stderr);
  const anon = ls.stdout.split('\n').filter((l) => /^[0-9a-f]{64}$/.test(l));
  assert.equal(anon.length, 2, `/cache and the test image's VOLUME /data: ${ls.stdout}`);
  const inUse = await e.gantry(['volume', 'rm', anon[0]!]);
  assert.equal(inUse.exitCode, 1);
  assert.match(inUse.stderr, /in use by/);
  write('two'); // a change: the container is recreated and finds its anonymous volume again
  const again = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(again.exitCode, 0, again.stderr);
  out = await logsUntil(e, dir, 'app', (s) => s.includes('seen='));
  assert.match(out, /^seen=one$/m);
  const down = await e.gantry(['down', '-v'], { cwd: dir });
  assert.equal(down.exitCode, 0, down.stderr);
  const after = await e.gantry(['volume', 'ls', '-q']);
  assert.equal(
    after.stdout.split('\n').filter((l) => anon.includes(l)).length,
    0,
    'down -v removed the anonymous volume',
  );
  assert.equal(readFileSync(join(host, 'out'), 'utf8'), 'hi\n', 'down -v leaves a bound host directory alone');

  writeFileSync(
    join(dir, 'compose.yaml'),
    `name: ${name}
services:
  ext:
    image: ${IMG}
    command: ["sh", "-c", "cat /x/f; echo DONE; exec sleep 600"]
    volumes: ["shared:/x"]
volumes:
  shared: { external: true, name: ${name}-shared }
`,
  );
  const missing = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(missing.exitCode, 1);
  assert.match(missing.stderr, new RegExp(`external volume "${name}-shared" does not exist`));
  const made = await e.gantry(['volume', 'create', `${name}-shared`]);
  assert.equal(made.exitCode, 0, made.stderr);
  const inspect = JSON.parse((await e.gantry(['volume', 'inspect', `${name}-shared`])).stdout) as {
    Mountpoint: string;
  }[];
  writeFileSync(join(inspect[0]!.Mountpoint, 'f'), 'from outside\n');
  const ok = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(ok.exitCode, 0, ok.stderr);
  assert.match(await logsUntil(e, dir, 'ext', (s) => s.includes('DONE')), /from outside/);
  assert.equal((await e.gantry(['down', '-v'], { cwd: dir })).exitCode, 0);
  assert.equal((await e.gantry(['volume', 'rm', `${name}-shared`])).exitCode, 0, 'down -v keeps an external volume');
});

test("the image's VOLUME gets an anonymous volume; rm -v removes it", async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}imgvol`;
  const dir = e.project(name, {
    Dockerfile: `FROM ${IMG}\nRUN mkdir -p /state && echo from-image > /state/f\nVOLUME /state\n`,
    'compose.yaml': `name: ${name}
services:
  s:
    build: .
    command: ["sh", "-c", "cat /state/f; grep -c ' /state ' /proc/self/mountinfo | sed s/^/mounts=/; echo DONE"]
`,
  });
  const up = await e.gantry(['up', '-d', '--build'], { cwd: dir, timeoutMs: 120_000 });
  assert.equal(up.exitCode, 0, up.stderr);
  const out = await logsUntil(e, dir, 's', (s) => s.includes('DONE'));
  assert.match(out, /from-image/, 'the volume is filled from the image');
  assert.match(out, /^mounts=1$/m, '/state is a mount of its own');
  const vols = (await e.gantry(['volume', 'ls', '--format', 'json'])).stdout;
  const mine = (JSON.parse(vols) as { name: string; project: string; anonymous: boolean }[]).filter(
    (v) => v.anonymous && v.project === name,
  );
  assert.equal(mine.length, 2, `/state and the base image's /data: ${vols}`);
  const rm = await e.gantry(['rm', '-f', '-s', '-v', 's'], { cwd: dir });
  assert.equal(rm.exitCode, 0, rm.stderr);
  const left = (JSON.parse((await e.gantry(['volume', 'ls', '--format', 'json'])).stdout) as { name: string }[]).filter(
    (v) => mine.some((m) => m.name === v.name),
  );
  assert.equal(left.length, 0, 'rm -v removed the anonymous volume');
});
