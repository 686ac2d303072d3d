// `gantry cp` both ways through a running container's root: Docker's path rules (into a dir,
// dir contents with /., new names), links copied as links, -L followed inside the container,
// -a keeping owners, --index, and symlinks in the container that point at host paths (absolute
// or by ..) never reaching the host, in either direction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';

const IMG = 'gantry-test/busybox:latest';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('gantry cp', { timeout: 180_000 }, async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}cp`;
  const hostDir = join(e.root, 'host'); // a host path the container's links name
  mkdirSync(hostDir);
  writeFileSync(join(hostDir, 'secret'), 'host secret\n');
  const setup = [
    'mkdir -p /data/sub',
    'echo inside > /data/sub/a.txt',
    'echo owned > /data/owned',
    'chown 1234:1234 /data/owned',
    `ln -s ${hostDir}/secret /data/escape`,
    `ln -s ${hostDir} /data/evil`,
    `ln -s ../../../../../../..${hostDir} /data/up`,
    'ln -s /tmp /data/tmplink',
    'ln -s sub/a.txt /data/rel',
    'touch /ready',
    'sleep 1000',
  ].join(' && ');
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}\nservices:\n  box: {image: ${IMG}, command: ["sh", "-c", ${JSON.stringify(setup)}]}\n`,
  });
  assert.equal((await e.gantry(['up', '-d'], { cwd: dir })).exitCode, 0);
  const out = join(e.root, 'out');
  mkdirSync(out);
  const cp = (...args: string[]) => e.gantry(['cp', ...args], { cwd: dir });
  for (let i = 0; i < 100 && (await cp('box:/ready', join(out, 'ready'))).exitCode !== 0; i++) await sleep(100);

  await t.test('container → host: file, new dir name, into a dir, contents with /.', async () => {
    let r = await cp('box:/data/sub/a.txt', join(out, 'a.txt'));
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(readFileSync(join(out, 'a.txt'), 'utf8'), 'inside\n');
    assert.equal((await cp('box:/data/sub', join(out, 'newsub'))).exitCode, 0);
    assert.equal(readFileSync(join(out, 'newsub', 'a.txt'), 'utf8'), 'inside\n');
    assert.equal((await cp('box:/data/sub', out)).exitCode, 0);
    assert.ok(existsSync(join(out, 'sub', 'a.txt')), 'into an existing dir: under its own name');
    mkdirSync(join(out, 'flat'));
    assert.equal((await cp('box:/data/sub/.', join(out, 'flat'))).exitCode, 0);
    assert.ok(existsSync(join(out, 'flat', 'a.txt')), '/. copies the contents');
    r = await cp('box:/data/nope', join(out, 'nope'));
    assert.equal(r.exitCode, 1);
    assert.match(r.stderr, /no such file or directory: box:\/data\/nope/);
  });

  await t.test('links: copied as links; -L follows them inside the container only', async () => {
    assert.equal((await cp('box:/data/escape', join(out, 'link'))).exitCode, 0);
    assert.equal(readlinkSync(join(out, 'link')), `${hostDir}/secret`, 'the link itself, not its target');
    assert.equal((await cp('-L', 'box:/data/rel', join(out, 'rel'))).exitCode, 0);
    assert.equal(readFileSync(join(out, 'rel'), 'utf8'), 'inside\n');
    for (const link of ['/data/escape', '/data/up/secret', '/data/evil/secret']) {
      const r = await cp('-L', `box:${link}`, join(out, 'stolen'));
      assert.equal(r.exitCode, 1, `${link}: the host file is not in the container`);
      assert.equal(existsSync(join(out, 'stolen')), false, `${link} reached the host's ${hostDir}`);
    }
  });

  await t.test('host → container, and links in the container never write to the host', async () => {
    const src = join(e.root, `host-${process.pid}.txt`);
    writeFileSync(src, 'from host\n');
    assert.equal((await cp(src, 'box:/data/')).exitCode, 0);
    assert.equal((await cp(`box:/data/host-${process.pid}.txt`, join(out, 'back.txt'))).exitCode, 0);
    assert.equal(readFileSync(join(out, 'back.txt'), 'utf8'), 'from host\n');
    // /data/tmplink -> /tmp is the container's /tmp, not the host's
    assert.equal((await cp(src, 'box:/data/tmplink/')).exitCode, 0);
    assert.equal((await cp(`box:/tmp/host-${process.pid}.txt`, join(out, 'tmp.txt'))).exitCode, 0);
    assert.equal(existsSync(`/tmp/host-${process.pid}.txt`), false);
    for (const dest of ['box:/data/evil/', 'box:/data/up/', 'box:/data/evil/planted']) {
      const r = await cp(src, dest);
      assert.equal(r.exitCode, 1, `${dest}: no such directory in the container`);
    }
    writeFileSync(join(hostDir, 'secret'), 'host secret\n');
    assert.equal((await cp(src, 'box:/data/escape')).exitCode, 0, 'a file over a link replaces the link');
    assert.equal(readFileSync(join(hostDir, 'secret'), 'utf8'), 'host secret\n', 'the host file is untouched');
    assert.equal((await cp('box:/data/escape', join(out, 'replaced'))).exitCode, 0);
    assert.equal(lstatSync(join(out, 'replaced')).isFile(), true);
    assert.deepEqual(readFileSync(join(out, 'replaced'), 'utf8'), 'from host\n');
    assert.deepEqual(readFileSync(join(hostDir, 'secret'), 'utf8'), 'host secret\n');
  });

  await t.test('-a keeps uid/gid; without it files belong to root', async () => {
    assert.equal((await cp('box:/data/owned', join(out, 'plain'))).exitCode, 0);
    assert.equal(statSync(join(out, 'plain')).uid, 0);
    assert.equal((await cp('-a', 'box:/data/owned', join(out, 'kept'))).exitCode, 0);
    assert.deepEqual([statSync(join(out, 'kept')).uid, statSync(join(out, 'kept')).gid], [1234, 1234]);
  });

  await t.test('--index and usage errors', async () => {
    assert.equal((await cp('--index', '1', 'box:/data/sub/a.txt', join(out, 'i1'))).exitCode, 0);
    const none = await cp('--index', '2', 'box:/data/sub/a.txt', join(out, 'i2'));
    assert.equal(none.exitCode, 1);
    assert.match(none.stderr, /service "box" has no container with index 2/);
    assert.equal((await cp(join(out, 'a.txt'), join(out, 'b.txt'))).exitCode, 2, 'no container side');
    assert.equal((await cp('box:/a', 'box:/b')).exitCode, 2, 'container to container');
    assert.equal((await cp('nosuch:/a', join(out, 'x'))).exitCode, 1);
  });
});
