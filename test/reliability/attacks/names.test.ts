// Attack class "names" (issue 13): names used as paths (volume, network, container and project
// names that climb out of their folder, and the rollback that would remove what they name),
// other host users reaching the state root (setuid binaries of layers and volumes, secrets: the
// class of CVE-2021-41091), and a container filling the state root so it cannot be stopped.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asNobody, freeBytes, hostRoot, IMG } from '../../helpers/attack-names.ts';
import { stillThere, tracesOf } from '../../helpers/engine-e2e.ts';
import { loadProject, openProject } from '../../../src/index.ts';

const h = await hostRoot((fn) => after(fn));
const uniq = (tag: string): string => `atk${process.pid}${tag}`;
const oneLine = (s: string): void => assert.equal(s.trim().split('\n').length, 1, `one line: ${s}`);

test('attack names-01: a volume named ../../x (creating dirs anywhere, removed on rollback) is held', async () => {
  const victim = join(h.base, 'victim');
  mkdirSync(victim);
  writeFileSync(join(victim, 'canary'), 'keep me');
  for (const name of ['../../victim', '../../made-here']) {
    const p = uniq('vol');
    // The command cannot start: up fails after creating the volume, and rolls back what it made.
    const dir = h.project(
      `${p}${name.length}`,
      `name: ${p}${name.length}
services:
  a: {image: ${IMG}, command: [/no/such/program], volumes: [v:/data]}
volumes:
  v: {name: "${name}"}
`,
    );
    const r = await h.gantry(['up', '-d'], dir);
    assert.equal(r.exitCode, 1, r.stderr);
    assert.match(r.stderr, /compose\.yaml:5:\d+: volumes\.v\.name: invalid volume name "\.\.\/\.\.\//);
    oneLine(r.stderr);
  }
  assert.equal(readFileSync(join(victim, 'canary'), 'utf8'), 'keep me', 'the rollback removed nothing outside');
  assert.ok(!existsSync(join(h.base, 'made-here')), 'nothing was created outside the state root');
});

test('attack names-02: a volume named .. (whose removal is the state root) is held', async () => {
  const p = uniq('dotdot');
  const dir = h.project(
    p,
    `name: ${p}
services:
  a: {image: ${IMG}, command: [sleep, "60"], volumes: [v:/data]}
volumes:
  v: {name: ".."}
`,
  );
  const up = await h.gantry(['up', '-d'], dir);
  assert.equal(up.exitCode, 1, up.stderr);
  assert.match(up.stderr, /compose\.yaml:5:\d+: volumes\.v\.name: invalid volume name "\.\."/);
  oneLine(up.stderr);
  const down = await h.gantry(['down', '-v'], dir);
  assert.equal(down.exitCode, 1);
  assert.ok(existsSync(join(h.root, 'images', 'index.json')), 'the state root is still there');
  assert.ok(
    !existsSync(join(h.root, 'meta.json')) && !existsSync(join(h.root, '_data')),
    'nothing written into the root',
  );
});

test('attack names-03: a network named a/b and a container named ../ab are held', async () => {
  const p = uniq('net');
  const net = h.project(
    p,
    `name: ${p}
services:
  a: {image: ${IMG}, command: [sleep, "60"], networks: [n]}
networks:
  n: {name: "x/../../y"}
`,
  );
  const r = await h.gantry(['up', '-d'], net);
  assert.equal(r.exitCode, 1, r.stderr);
  assert.match(r.stderr, /compose\.yaml:5:\d+: networks\.n\.name: invalid network name/);
  oneLine(r.stderr);
  const cn = h.project(
    `${p}c`,
    `name: ${p}c
services:
  a: {image: ${IMG}, command: [sleep, "60"], container_name: "../ab"}
`,
  );
  const c = await h.gantry(['up', '-d'], cn);
  assert.equal(c.exitCode, 1, c.stderr);
  assert.match(c.stderr, /compose\.yaml:3:\d+: services\.a\.container_name: invalid container name/);
  oneLine(c.stderr);
  assert.deepEqual(
    readdirSync(h.base).filter((n) => !['p', 'state', 'victim'].includes(n)),
    [],
    'nothing outside the root',
  );
});

test('attack names-04: a project named ../p through the Node API is held', async () => {
  const dir = h.project(uniq('api'), `services:\n  a: {image: ${IMG}, command: [sleep, "60"]}\n`);
  const model = await loadProject({ files: [], envFiles: [], profiles: [], environment: {}, workingDir: dir });
  const handle = openProject({ ...model, name: '../escaped' }, { root: h.root });
  await assert.rejects(
    handle.down(),
    (e: Error) => /invalid project name "\.\.\/escaped"/.test(e.message) && !e.message.includes('\n'),
  );
  await assert.rejects(handle.ps(), /invalid project name/);
  assert.ok(!existsSync(join(h.root, 'escaped')), 'no project dir outside projects/');
});

const modeOf = (p: string): number => statSync(p).mode & 0o7777;

test('attack names-05: other host users reading secrets or running setuid binaries of the state root is held', async () => {
  const p = uniq('modes');
  const dir = h.project(
    p,
    `name: ${p}
services:
  a:
    image: ${IMG}
    environment: {DB_PASSWORD: "hunter2-${p}"}
    healthcheck: {test: [CMD, "true", "--password=hunter2-${p}"], interval: 1h}
    secrets: [token]
    volumes: [v:/data]
    command: [sh, -c, "cp /bin/busybox /data/bb && chmod 4755 /data/bb && touch /data/ready && exec sleep 600"]
secrets:
  token: {file: ./token.txt}
volumes:
  v: {}
`,
  );
  writeFileSync(join(dir, 'token.txt'), 's3cret-token');
  const up = await h.gantry(['up', '-d'], dir);
  assert.equal(up.exitCode, 0, up.stderr);
  const data = join(h.root, 'volumes', `${p}_v`, '_data');
  for (let i = 0; i < 600 && !existsSync(join(data, 'ready')); i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(modeOf(join(data, 'bb')) & 0o4000, 0o4000, 'the container made a setuid binary in its volume');
  const project = join(h.root, 'projects', p);
  assert.match(
    readFileSync(join(project, 'supervision.json'), 'utf8'),
    /hunter2/,
    'supervision.json holds the password',
  );

  const layers = join(h.root, 'images', 'layers');
  const suidLayer = readdirSync(layers).find((l) => existsSync(join(layers, l, 'x', 'suid')))!;
  assert.equal(modeOf(join(layers, suidLayer, 'x', 'suid')) & 0o4000, 0o4000, 'the image ships a setuid file');

  for (const f of [join(project, 'supervision.json'), join(h.root, 'containers', `${p}-a-1`, 'state.json')]) {
    const read = asNobody(['cat', f]);
    assert.notEqual(read.status, 0, `nobody read ${f}: ${read.out}`);
    assert.doesNotMatch(read.out, /hunter2/);
  }
  const suidVol = asNobody([join(data, 'bb'), 'true']);
  assert.notEqual(suidVol.status, 0, "nobody ran the volume's setuid binary");
  assert.match(suidVol.out, /Permission denied/);
  const suidImg = asNobody([join(layers, suidLayer, 'x', 'suid')]);
  assert.notEqual(suidImg.status, 0, "nobody ran the layer's setuid file");

  assert.equal(modeOf(h.root), 0o700, 'the state root is 0700');
  for (const d of [
    'images',
    'containers',
    'networks',
    'volumes',
    'projects',
    `projects/${p}`,
    `volumes/${p}_v`,
    `containers/${p}-a-1`,
  ]) {
    assert.equal(modeOf(join(h.root, d)) & 0o077, 0, `${d} has no group/other bits`);
  }
  for (const f of [
    `projects/${p}/supervision.json`,
    `containers/${p}-a-1/state.json`,
    `containers/${p}-a-1/plan`,
    `networks/${p}_default.json`,
    `volumes/${p}_v/meta.json`,
  ]) {
    assert.equal(modeOf(join(h.root, f)), 0o600, `${f} is 0600`);
  }
  // Inside, the container's own modes still hold: a non-root user reads its secret and its volume.
  const inside = await h.gantry(
    ['exec', '-T', '--user', '1000', 'a', 'sh', '-c', 'cat /run/secrets/token && ls /data/bb'],
    dir,
  );
  assert.equal(inside.exitCode, 0, inside.stderr);
  assert.match(inside.stdout, /s3cret-token/);
});

test('attack names-06: a state root left 0755 by an older gantry is tightened by the next command', async () => {
  const p = uniq('old');
  const dir = h.project(
    p,
    `name: ${p}\nservices:\n  a: {image: ${IMG}, command: [sleep, "600"], environment: {K: v}}\n`,
  );
  assert.equal((await h.gantry(['up', '-d'], dir)).exitCode, 0);
  const set = join(h.root, 'projects', p, 'supervision.json');
  for (const d of [h.root, join(h.root, 'projects'), join(h.root, 'projects', p)]) chmodSync(d, 0o755);
  chmodSync(set, 0o644);
  const ps = await h.gantry(['ps'], dir);
  assert.equal(ps.exitCode, 0, ps.stderr);
  assert.equal(modeOf(h.root), 0o700);
  assert.equal(modeOf(join(h.root, 'projects', p)), 0o700);
  assert.equal(modeOf(set), 0o600);
});

// A small tmpfs as the state root (GANTRY_ATTACKS_FULL: a bigger one, more to write and delete).
const FULL = process.env['GANTRY_ATTACKS_FULL'] === '1';
const small = await hostRoot((fn) => after(fn), { tmpfsMiB: FULL ? 256 : 32 });

test(
  'attack names-07: a container filling the state root (ENOSPC) so it cannot be stopped is held',
  { timeout: 180_000 },
  async () => {
    const p = uniq('full');
    const dir = small.project(
      p,
      `name: ${p}
services:
  hog:
    image: ${IMG}
    restart: always
    environment: {SECRET: "x"}
    volumes: [v:/data]
    # Fills once the test says so: up itself is not under test, stop, kill and down are.
    command: [sh, -c, "until [ -e /data/go ]; do sleep 0.1; done; dd if=/dev/zero of=/data/big bs=1M; dd if=/dev/zero of=/big bs=1M; exec sleep 600"]
volumes:
  v: {}
`,
    );
    const up = await small.gantry(['up', '-d'], dir);
    assert.equal(up.exitCode, 0, up.stderr);
    const traces = tracesOf(small.root, p);
    writeFileSync(join(small.root, 'volumes', `${p}_v`, '_data', 'go'), '');
    for (let i = 0; i < 300 && freeBytes(small.root) > 64 * 1024; i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(freeBytes(small.root) <= 64 * 1024, `the state root is full (${freeBytes(small.root)} bytes free)`);

    const stop = await small.gantry(['stop', '-t', '1'], dir);
    assert.equal(stop.exitCode, 0, stop.stderr);
    await new Promise((r) => setTimeout(r, 1500)); // the supervisor would restart it by now if the mark were lost
    const ps = await small.gantry(['ps', '-a', '--format', 'json'], dir);
    assert.equal(ps.exitCode, 0, ps.stderr);
    const rows = JSON.parse(ps.stdout) as { State: string; Status: string }[];
    assert.deepEqual(
      rows.map((r) => r.State),
      ['exited'],
      ps.stdout,
    );
    assert.match(rows[0]!.Status, /^Exited \(1[34]\d\)/, 'its exit code was recorded');
    const start = await small.gantry(['start'], dir);
    assert.equal(start.exitCode, 0, start.stderr);
    const kill = await small.gantry(['kill'], dir);
    assert.equal(kill.exitCode, 0, kill.stderr);
    const down = await small.gantry(['down', '-v', '-t', '1'], dir);
    assert.equal(down.exitCode, 0, down.stderr);
    assert.doesNotMatch(`${stop.stderr}${kill.stderr}${down.stderr}`, /internal error/);

    assert.deepEqual(stillThere(traces, small.root), [], 'nothing of the project is left on the host');
    for (const d of ['containers', 'projects', 'volumes'])
      assert.deepEqual(readdirSync(join(small.root, d)), [], `${d}/ is empty`);
    const temps = readdirSync(join(small.root, 'networks')).filter((n) => n.endsWith('.tmp'));
    assert.deepEqual(temps, [], 'no temp file left');
  },
);
