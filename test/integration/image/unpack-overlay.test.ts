// Unpacked layers are overlay-ready: mounted as lowerdirs (in a private mount namespace) they
// give the merged view the image means; and hostile archives never write outside their layer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, lstatSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openImageStore, type LocalImage } from '../../../src/image/index.ts';
import { unpackLayer } from '../../../src/image/unpack/unpack-layer.ts';
import { ensureTestImages } from '../../helpers/test-images.ts';
import { buildTar, type RawEntry } from '../../helpers/tar-build.ts';

const dir = mkdtempSync(join(tmpdir(), `gantry-unpack-${process.pid}-`));
let img: LocalImage;
before(async () => {
  const [loaded] = await openImageStore(join(dir, 'store')).load(ensureTestImages().ociArchive);
  img = loaded!;
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs script with cwd = the merged overlay of the image's layers, in a throwaway mount ns. */
function inOverlay(script: string): string {
  const m = join(dir, `m-${Math.random().toString(36).slice(2)}`);
  for (const d of ['merged', 'upper', 'work']) mkdirSync(join(m, d), { recursive: true });
  const lower = [...img.layers].reverse().join(':');
  const mount = `mount -t overlay overlay -o lowerdir=${lower},upperdir=${m}/upper,workdir=${m}/work ${m}/merged && cd ${m}/merged && ${script}`;
  return execFileSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', mount], { encoding: 'utf8' });
}

test('layers hold whiteouts in overlay form', () => {
  const wh = lstatSync(join(img.layers[1]!, 'etc', 'removed'));
  assert.ok(wh.isCharacterDevice() && wh.rdev === 0, 'whiteout is a 0:0 char device');
  const opq = execFileSync(
    'getfattr',
    ['-h', '--only-values', '-n', 'trusted.overlay.opaque', join(img.layers[1]!, 'opq')],
    { encoding: 'utf8' },
  );
  assert.equal(opq, 'y');
  assert.ok(!existsSync(join(img.layers[1]!, 'opq', '.wh..wh..opq')));
});

test('merged view: whiteout hides, opaque dir hides lower content, upper layers show', () => {
  assert.equal(inOverlay('test -e etc/removed && echo present || echo gone'), 'gone\n');
  assert.equal(inOverlay('ls -A opq'), 'upper\n');
  assert.equal(inOverlay('cat etc/layer3'), 'third layer (zstd)\n');
  assert.equal(inOverlay('cat etc/passwd | head -1'), 'root:x:0:0:root:/root:/bin/sh\n');
});

test('merged view: hard links, symlinks, devices, fifos, xattrs, setuid and owners preserved', () => {
  const [ia, ib] = inOverlay('stat -c %i hl/a hl/b').trim().split('\n');
  assert.equal(ia, ib, 'hard link shares the inode');
  assert.equal(inOverlay('readlink lnk; readlink bin/sh'), 'bin/busybox\nbusybox\n');
  assert.equal(inOverlay("stat -c '%t:%T %F' dev/gnull"), '1:3 character special file\n');
  assert.equal(inOverlay("stat -c '%F' dev/gfifo"), 'fifo\n');
  assert.equal(inOverlay('getfattr --only-values -n user.gantry x/attr'), 'yes');
  assert.equal(inOverlay("stat -c '%a %u %g' x/suid tmp"), '4755 1000 1000\n1777 0 0\n');
  assert.equal(inOverlay("stat -c '%Y' etc/passwd"), `${Date.parse('2024-01-01T00:00:00Z') / 1000}\n`);
});

/** A layer dir and a sibling "outside" dir; run() unpacks entries (OUTSIDE = that dir's path). */
function rawLayer(entries: RawEntry[], gzip = false): { target: string; outside: string; run: () => Promise<unknown> } {
  const base = mkdtempSync(join(dir, 'raw-'));
  const target = join(base, 'layer');
  const outside = join(base, 'outside');
  mkdirSync(target);
  mkdirSync(outside);
  const tar = buildTar(
    entries.map((e) => ({
      ...e,
      ...(e.linkname ? { linkname: e.linkname.replace('OUTSIDE', outside) } : {}),
      name: e.name.replace('OUTSIDE', outside),
    })),
  );
  async function* one(): AsyncGenerator<Buffer> {
    yield gzip ? gzipSync(tar) : tar;
  }
  return { target, outside, run: () => unpackLayer(one(), target, 'evil:latest') };
}

const hostile: { name: string; entries: RawEntry[] }[] = [
  { name: 'absolute name', entries: [{ name: 'OUTSIDE/pwned', data: 'x' }] },
  { name: '../ name', entries: [{ name: '../outside/pwned', data: 'x' }] },
  { name: 'nested ../ name', entries: [{ name: 'a/../../outside/pwned', data: 'x' }] },
  {
    name: 'file through a symlink to outside',
    entries: [
      { name: 'evil', type: 'symlink', linkname: 'OUTSIDE' },
      { name: 'evil/pwned', data: 'x' },
    ],
  },
  {
    name: 'file through a relative symlink',
    entries: [
      { name: 'evil', type: 'symlink', linkname: '../outside' },
      { name: 'evil/pwned', data: 'x' },
    ],
  },
  { name: 'hard link to an absolute path', entries: [{ name: 'h', type: 'hardlink', linkname: '/etc/passwd' }] },
  { name: 'hard link with ..', entries: [{ name: 'h', type: 'hardlink', linkname: '../outside/x' }] },
  {
    name: 'hard link through a symlink',
    entries: [
      { name: 'evil', type: 'symlink', linkname: '/etc' },
      { name: 'h', type: 'hardlink', linkname: 'evil/passwd' },
    ],
  },
  {
    name: 'whiteout through a symlink',
    entries: [
      { name: 'evil', type: 'symlink', linkname: 'OUTSIDE' },
      { name: 'evil/.wh.x', data: '' },
    ],
  },
  {
    name: 'dir through a symlink',
    entries: [
      { name: 'evil', type: 'symlink', linkname: 'OUTSIDE' },
      { name: 'evil/sub/', type: 'dir' },
    ],
  },
];

for (const h of hostile) {
  test(`refused: ${h.name}`, async () => {
    const layer = rawLayer(h.entries, h.name.includes('relative'));
    await assert.rejects(layer.run(), (err: Error) => {
      assert.match(err.message, /^image evil:latest: layer entry ".*" .*refusing to unpack$/);
      return true;
    });
    assert.deepEqual(readdirSync(layer.outside), [], 'nothing written outside the layer');
  });
}

test('a dir replaced by a symlink after a pending fifo/whiteout/xattr creates nothing outside', async () => {
  const layer = rawLayer([
    { name: 'd/', type: 'dir' },
    { name: 'd/fifo', type: 'fifo' },
    { name: 'd/.wh.gone' },
    { name: 'd', type: 'symlink', linkname: 'OUTSIDE' },
  ]);
  await layer.run();
  assert.ok(lstatSync(join(layer.target, 'd')).isSymbolicLink());
  assert.deepEqual(readdirSync(layer.outside), []);
});

test('a symlink pointing outside is kept as a link and never followed', async () => {
  const layer = rawLayer([
    { name: 'out', type: 'symlink', linkname: 'OUTSIDE' },
    { name: 'ok/file', data: 'fine' },
  ]);
  await layer.run();
  assert.ok(lstatSync(join(layer.target, 'out')).isSymbolicLink());
  assert.ok(existsSync(join(layer.target, 'ok', 'file')));
  assert.deepEqual(readdirSync(layer.outside), []);
});
