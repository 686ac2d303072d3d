// Attack class "inroot": a path an image or a container controls is never resolved with the
// host's resolver. Each test plants symlinks to a host folder (holding a canary) where gantry
// will follow a container path: in an image's volume mount point, in a tree `cp` copies while
// the container flips a directory and a link, in a volume another service mounts by subpath,
// and under a secret's target. The canary must never be read into a container or a copy, and
// nothing may be written into its folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot, type E2eRoot } from '../../helpers/engine-e2e.ts';
import { attackImage, CANARY, canaryState, hostCanaryDir } from '../../helpers/attack-inroot.ts';
import { createRuntime } from '../../../src/runtime/index.ts';
import { copy } from '../../../src/engine/commands/cp.ts';

const FULL = process.env['GANTRY_ATTACKS_FULL'] === '1';
const BUSYBOX = 'gantry-test/busybox:latest';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

async function upOk(e: E2eRoot, dir: string, args: string[] = []): Promise<void> {
  const r = await e.gantry(['up', '-d', ...args], { cwd: dir });
  assert.equal(r.exitCode, 0, r.stderr);
}

test('attack inroot', { timeout: FULL ? 900_000 : 420_000 }, async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  // Each attack gets its own canary folder, so one that leaks cannot fail the next one.
  const folders = (what: string) => {
    const host = hostCanaryDir(join(e.root, what));
    return { host, before: canaryState(host), up: `../../../../../../../..${host}` }; // up: the same folder, by climbing
  };

  await t.test('attack inroot-01: an image with data -> /etc fills a volume with the host /etc is held', async () => {
    const { host, before, up } = folders('fill');
    const ref = 'gantry-attack/inroot-fill:latest';
    const archive = await attackImage(e.root, ref, [
      { name: 'etc/', type: 'dir' },
      { name: 'etc/image-own', data: 'the image own /etc\n' },
      { name: 'data', type: 'symlink', linkname: '/etc' },
      { name: 'steal', type: 'symlink', linkname: host },
      { name: 'climb', type: 'symlink', linkname: up },
    ]);
    assert.equal((await e.gantry(['image', 'load', '-i', archive])).exitCode, 0);
    const name = `att${process.pid}fill`;
    const dir = e.project(name, {
      'compose.yaml':
        `name: ${name}\nservices:\n  box:\n    image: ${ref}\n    command: [sleep, "1000"]\n` +
        `    volumes: [etc:/data, steal:/steal, climb:/climb]\nvolumes: {etc: {}, steal: {}, climb: {}}\n`,
    });
    await upOk(e, dir);
    const data = (v: string) => join(e.root, 'volumes', `${name}_${v}`, '_data');
    // The volume is the container's /etc: its start adds the (empty) mount points of hosts & co.
    const points = ['hostname', 'hosts', 'resolv.conf'];
    const names = readdirSync(data('etc')).filter(
      (n) => !points.includes(n) || readFileSync(join(data('etc'), n), 'utf8') !== '',
    );
    assert.deepEqual(names.sort(), ['group', 'image-own', 'layer3', 'passwd'], 'the image /etc, whiteouts applied');
    assert.equal(readFileSync(join(data('etc'), 'image-own'), 'utf8'), 'the image own /etc\n');
    assert.equal(existsSync(join(data('etc'), 'shadow')), false, 'the host /etc/shadow is not in the volume');
    assert.deepEqual(readdirSync(data('steal')), [], 'a host folder named by the image is not copied');
    assert.deepEqual(readdirSync(data('climb')), []);
    assert.deepEqual(canaryState(host), before);
  });

  await t.test(
    'attack inroot-02: a container flipping a dir and a link during cp reaches host files is held',
    async (st) => {
      const { host, before, up } = folders('race');
      const name = `att${process.pid}race`;
      // The flipper waits for /go, so a plain copy can be checked first; then each round leaves
      // /w/d a real dir for a short dwell, so copies through it can land under load (CI once saw
      // 0 of 100 without the dwell), while the link states still come about 50 times a second.
      const flip = [
        'mkdir -p /w/d',
        'echo inside > /w/d/canary',
        'touch /ready',
        'while [ ! -e /go ]; do usleep 10000; done',
        `while :; do mv /w/d /w/x; ln -s ${host} /w/d; rm /w/d; ln -s ${up} /w/d; rm /w/d; mv /w/x /w/d; ` +
          'usleep 10000; done',
      ].join(' && ');
      const dir = e.project(name, {
        'compose.yaml': `name: ${name}\nservices:\n  flip: {image: ${BUSYBOX}, command: ["sh", "-c", ${JSON.stringify(flip)}]}\n`,
      });
      await upOk(e, dir);
      const rt = createRuntime({ root: e.root });
      const out = join(e.root, 'race-out');
      mkdirSync(out);
      const src = join(e.root, 'race-src');
      writeFileSync(src, 'written by the test\n');
      const cp = (direction: 'from' | 'to', containerPath: string, hostPath: string) =>
        copy(rt, name, { service: 'flip', direction, containerPath, hostPath }).then(
          () => true,
          () => false,
        );
      const ready = Date.now();
      while (!(await cp('from', '/ready', join(out, 'ready')))) {
        assert.ok(Date.now() - ready < 60_000, 'the flipper wrote /ready within 60 s');
        await sleep(100);
      }
      assert.ok(await cp('from', '/w/d/canary', join(out, 'still')), 'a copy through /w/d works while it holds still');
      assert.equal(readFileSync(join(out, 'still'), 'utf8'), 'inside\n');
      assert.ok(await cp('to', '/go', src), 'the flipper is started');
      // Rounds go on past the minimum until a copy through the flipping dir went through: the
      // race must really be run, whatever the load; the cap only bounds a broken copy or flipper.
      const rounds = FULL ? 1000 : 100; // each round: one cp out and one cp in
      const capMs = 120_000;
      const t0 = Date.now();
      let copied = 0;
      let tries = 0;
      for (let i = 0; i < rounds || (copied === 0 && Date.now() - t0 < capMs); i++) {
        // out and in: a file through the flipping dir, the flipping dir itself, and a file into it
        tries++;
        if (await cp('from', '/w/d/canary', join(out, `f${i}`))) copied++;
        if (i % 4 === 0) await cp('from', '/w/d', join(out, `d${i}`));
        await cp('to', '/w/d/canary', src);
      }
      const s = ((Date.now() - t0) / 1000).toFixed(1);
      st.diagnostic(`race: ${copied} of ${tries} copies through the flipping /w/d went through in ${s} s`);
      const leaked = filesUnder(out).filter((f) => readFileSync(f, 'utf8') === CANARY);
      assert.deepEqual(leaked, [], 'no copy holds the host canary');
      assert.deepEqual(canaryState(host), before, 'the host canary folder is unchanged');
      assert.ok(copied > 0, `no copy through /w/d went through in ${tries} tries over ${s} s: the race was not run`);
      assert.ok(copied < tries, `all ${tries} copies went through: /w/d never flipped, the race was not run`);
    },
  );

  await t.test(
    'attack inroot-03: a symlink planted in a volume mounts a host dir through subpath is held',
    async () => {
      const { host, before, up } = folders('sub');
      const name = `att${process.pid}sub`;
      const plant = `mkdir -p /vol/real && echo real > /vol/real/f && ln -s ${host} /vol/abs && ln -s ${up} /vol/climb && sleep 1000`;
      const victim = (sub: string) =>
        `  ${sub}:\n    image: ${BUSYBOX}\n    command: [sleep, "1000"]\n` +
        `    volumes: [{type: volume, source: shared, target: /mnt, volume: {subpath: ${sub}}}]\n`;
      const dir = e.project(name, {
        'compose.yaml':
          `name: ${name}\nservices:\n  planter: {image: ${BUSYBOX}, command: ["sh", "-c", ${JSON.stringify(plant)}], volumes: ["shared:/vol"]}\n` +
          `${victim('real')}${victim('abs')}${victim('climb')}volumes: {shared: {}}\n`,
      });
      await upOk(e, dir, ['planter']);
      const data = join(e.root, 'volumes', `${name}_shared`, '_data');
      for (let i = 0; i < 600 && !existsSync(join(data, 'climb')); i++) await sleep(100);
      assert.ok(lstatSync(join(data, 'climb')).isSymbolicLink());
      await upOk(e, dir, ['real']);
      assert.equal(
        (await e.gantry(['exec', 'real', 'cat', '/mnt/f'], { cwd: dir })).stdout,
        'real\n',
        'a plain subpath still works',
      );
      for (const svc of ['abs', 'climb']) {
        await e.gantry(['up', '-d', svc], { cwd: dir }); // refused, or started on a path inside the volume
        const r = await e.gantry(['exec', svc, 'sh', '-c', 'cat /mnt/canary; echo planted > /mnt/planted'], {
          cwd: dir,
        });
        assert.doesNotMatch(r.stdout, /host canary/, `${svc}: the host folder was mounted`);
      }
      assert.deepEqual(canaryState(host), before);
    },
  );

  await t.test('attack inroot-04: a secret target through an image symlink lands on the host is held', async () => {
    const { host, before, up } = folders('sec');
    const ref = 'gantry-attack/inroot-secret:latest';
    const archive = await attackImage(e.root, ref, [
      { name: 'run/', type: 'dir' },
      { name: 'run/secrets', type: 'symlink', linkname: host },
      { name: 'cfg', type: 'symlink', linkname: up },
    ]);
    assert.equal((await e.gantry(['image', 'load', '-i', archive])).exitCode, 0);
    const name = `att${process.pid}sec`;
    const dir = e.project(name, {
      's.txt': 'the secret\n',
      'compose.yaml':
        `name: ${name}\nservices:\n  box:\n    image: ${ref}\n    command: [sleep, "1000"]\n` +
        `    secrets: [s]\n    configs: [{source: c, target: /cfg/c}]\n` +
        `secrets: {s: {file: ./s.txt}}\nconfigs: {c: {content: "the config"}}\n`,
    });
    await e.gantry(['up', '-d'], { cwd: dir }); // refused, or started with the files inside the rootfs
    const r = await e.gantry(['exec', 'box', 'sh', '-c', 'cat /run/secrets/s /cfg/c'], { cwd: dir });
    if (r.exitCode === 0) assert.equal(r.stdout, 'the secret\nthe config', 'inside the container, at its own paths');
    assert.deepEqual(canaryState(host), before, 'nothing created or mounted over in the host folder');
  });

  await t.test(
    'attack inroot-05: an image with etc -> a host folder makes user: read the host passwd is held',
    async () => {
      const { host } = folders('passwd');
      writeFileSync(join(host, 'passwd'), 'intruder:x:4242:4242::/:/bin/sh\n');
      const ref = 'gantry-attack/inroot-passwd:latest';
      const archive = await attackImage(e.root, ref, [{ name: 'etc', type: 'symlink', linkname: host }]);
      assert.equal((await e.gantry(['image', 'load', '-i', archive])).exitCode, 0);
      const name = `att${process.pid}pw`;
      const dir = e.project(name, {
        'compose.yaml': `name: ${name}\nservices:\n  box: {image: ${ref}, user: intruder, command: [sleep, "1000"]}\n`,
      });
      const r = await e.gantry(['up', '-d'], { cwd: dir });
      assert.notEqual(r.exitCode, 0, 'the user is not found: the host passwd named by the image was not read');
      assert.match(r.stderr, /unable to find user intruder/);
    },
  );
});
