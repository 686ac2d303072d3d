// Archives: load docker-save and OCI archives (plain and gzip), save → load round trip with
// identical digests, an archive skopeo (containers/image, as podman) reads, rootfs import;
// tag, rm and prune on the store they fill.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openImageStore } from '../../../src/image/index.ts';
import { ensureTestImages } from '../../helpers/test-images.ts';

const dir = mkdtempSync(join(tmpdir(), `gantry-archive-${process.pid}-`));
after(() => rmSync(dir, { recursive: true, force: true }));
const imgs = ensureTestImages();
const REF = 'docker.io/gantry-test/busybox:latest';
const store = (): ReturnType<typeof openImageStore> => openImageStore(mkdtempSync(join(dir, 'root-')));

test('load a docker save archive', async () => {
  const s = store();
  const [img] = await s.load(imgs.dockerArchive);
  assert.equal(img!.id, imgs.configDigest);
  assert.deepEqual(img!.references, [REF]);
  assert.equal(img!.layers.length, 3);
  assert.ok(existsSync(join(img!.layers[0]!, 'bin', 'busybox')));
  assert.equal((await s.resolve('gantry-test/busybox'))?.id, imgs.configDigest);
});

test('load an OCI archive, plain and gzip-compressed', async () => {
  const [plain] = await store().load(imgs.ociArchive);
  assert.equal(plain!.id, imgs.configDigest);
  assert.equal(plain!.manifestDigest, imgs.manifestDigest);
  assert.deepEqual(plain!.references, [REF]);
  const gz = join(dir, 'oci.tar.gz');
  writeFileSync(gz, gzipSync(readFileSync(imgs.ociArchive)));
  const [fromGz] = await store().load(gz);
  assert.equal(fromGz!.manifestDigest, imgs.manifestDigest);
});

test('save → load round trip keeps every digest; skopeo reads the archive both ways', async () => {
  const a = store();
  const [orig] = await a.load(imgs.ociArchive);
  await a.tag(REF, 'example.com/team/app:v1');
  const out = join(dir, 'saved.tar');
  await a.save(['example.com/team/app:v1', 'gantry-test/busybox'], out);
  const b = store();
  const loaded = await b.load(out);
  assert.equal(loaded.length, 1);
  assert.equal(loaded[0]!.id, orig!.id);
  assert.equal(loaded[0]!.manifestDigest, orig!.manifestDigest);
  assert.deepEqual(loaded[0]!.references, ['docker.io/gantry-test/busybox:latest', 'example.com/team/app:v1']);
  assert.deepEqual((await b.resolve('example.com/team/app:v1'))?.layers, loaded[0]!.layers);
  const viaDocker = JSON.parse(
    execFileSync('skopeo', ['inspect', `docker-archive:${out}:example.com/team/app:v1`], { encoding: 'utf8' }),
  ) as { Layers: string[] };
  assert.equal(viaDocker.Layers.length, 3);
  const viaOci = JSON.parse(
    execFileSync('skopeo', ['inspect', '--raw', `oci-archive:${out}:v1`], { encoding: 'utf8' }),
  ) as { config: { digest: string } };
  assert.equal(viaOci.config.digest, orig!.id);
});

test('podman loads an archive gantry saved', async () => {
  const a = store();
  await a.load(imgs.ociArchive);
  const out = join(dir, 'for-podman.tar');
  await a.save(['gantry-test/busybox'], out);
  const pd = mkdtempSync(join(dir, 'podman-'));
  const podman = (...args: string[]): string =>
    execFileSync(
      'podman',
      ['--root', join(pd, 'root'), '--runroot', join(pd, 'run'), '--storage-driver', 'vfs', ...args],
      { encoding: 'utf8' },
    );
  assert.match(podman('load', '-i', out), /Loaded image: docker.io\/gantry-test\/busybox:latest/);
  const ids = podman('images', '--no-trunc', '--format', '{{.ID}}').trim();
  assert.equal(`sha256:${ids.replace(/^sha256:/, '')}`, imgs.configDigest);
});

/** A copy of archive with the first occurrence of text replaced by a same-length string. */
function tampered(archive: string, text: string, by: string): string {
  const data = readFileSync(archive);
  const at = data.indexOf(text);
  assert.ok(at > 0, `${text} found in ${archive}`);
  data.write(by, at);
  const out = join(dir, `tampered-${Math.random().toString(36).slice(2)}.tar`);
  writeFileSync(out, data);
  return out;
}

test('a tampered archive is refused and leaves nothing behind', async () => {
  // (Separate stores: a store that already holds the genuine blob rightly ignores a bad copy.)
  await assert.rejects(
    store().load(tampered(imgs.ociArchive, 'GANTRY_TEST=1', 'GANTRY_TEST=2')),
    /blob sha256:[0-9a-f]{64} is corrupt/,
  );
  const root = mkdtempSync(join(dir, 'root-'));
  const s = openImageStore(root);
  await assert.rejects(
    s.load(tampered(imgs.dockerArchive, 'third layer (zstd)', 'THIRD layer (zstd)')),
    /does not match diff_id/,
  );
  assert.deepEqual(await s.list(), []);
  assert.deepEqual(readdirSync(join(root, 'tmp')), []);
  const kept = readdirSync(join(root, 'layers')).filter((n) => !n.endsWith('.json'));
  assert.equal(kept.length, 2, 'only the two intact layers before the bad one were unpacked');
  assert.equal((await s.prune()).removedLayers, 2);
});

test('import a rootfs tarball as a one-layer image', async () => {
  const s = store();
  const img = await s.importRootfs(join(imgs.ociLayout, '..', 'layer3.tar'), 'imported:v1');
  assert.deepEqual(img.references, ['docker.io/library/imported:v1']);
  assert.equal(img.layers.length, 1);
  assert.equal(readFileSync(join(img.layers[0]!, 'etc', 'layer3'), 'utf8'), 'third layer (zstd)\n');
  assert.deepEqual(img.config.env, []);
});

test('tag, rm and prune', async () => {
  const root = mkdtempSync(join(dir, 'root-'));
  const s = openImageStore(root);
  const [img] = await s.load(imgs.dockerArchive);
  await s.tag('gantry-test/busybox', 'other:1');
  assert.equal((await s.list()).length, 1);
  await s.remove('other:1');
  assert.equal(await s.resolve('other:1'), undefined);
  assert.equal((await s.prune()).removedLayers, 0, 'layers still used are kept');
  await s.remove(img!.id.slice(7, 19));
  assert.deepEqual(await s.list(), []);
  const r = await s.prune();
  assert.equal(r.removedLayers, 3);
  assert.ok(r.bytes > 2_400_000 && r.bytes < 8_000_000, `reclaimed ${r.bytes} bytes`);
  assert.deepEqual(readdirSync(join(root, 'layers')), []);
  assert.deepEqual(readdirSync(join(root, 'blobs', 'sha256')), []);
});
