// Pull from a real registry (Debian's docker-registry on 127.0.0.1): by tag, by digest, from a
// multi-platform index, a corrupted blob, and two concurrent pulls in separate processes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { openImageStore } from '../../../src/image/index.ts';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { startRegistryProxy } from '../../helpers/registry-proxy.ts';
import { ensureTestImages, type TestImages } from '../../helpers/test-images.ts';

let reg: TestRegistry;
let imgs: TestImages;
const roots: string[] = [];
const newRoot = (): string => {
  const r = mkdtempSync(join(tmpdir(), `gantry-img-${process.pid}-`));
  roots.push(r);
  return r;
};

before(async () => {
  imgs = ensureTestImages();
  reg = await startRegistry();
  await reg.push(`oci:${imgs.ociLayout}:latest`, 'gantry-test/busybox:latest');
  await reg.push(`oci:${imgs.multiArchLayout}:latest`, 'gantry-test/multi:latest', { all: true });
});
after(async () => {
  await reg?.stop();
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

test('pull by tag stores the image with its config and unpacked layers', async () => {
  const store = openImageStore(newRoot());
  const events: string[] = [];
  const img = await store.pull(`${reg.host}/gantry-test/busybox:latest`, { onProgress: (e) => events.push(e.kind) });
  assert.equal(img.id, imgs.configDigest);
  assert.equal(img.manifestDigest, imgs.manifestDigest);
  assert.deepEqual(img.references, [`${reg.host}/gantry-test/busybox:latest`]);
  assert.equal(img.layers.length, 3);
  assert.ok(existsSync(join(img.layers[0]!, 'bin', 'busybox')));
  assert.ok(existsSync(join(img.layers[2]!, 'etc', 'layer3')), 'zstd layer unpacked');
  assert.deepEqual(img.config.cmd, ['sh']);
  assert.ok(events.includes('layer-bytes') && events.includes('done'));
  const again = await store.resolve(`${reg.host}/gantry-test/busybox`);
  assert.equal(again?.id, img.id);
  const events2: string[] = [];
  await store.pull(`${reg.host}/gantry-test/busybox:latest`, { onProgress: (e) => events2.push(e.kind) });
  assert.equal(events2.filter((k) => k === 'layer-exists').length, 3, 'second pull downloads nothing');
});

test('pull by digest records name@digest', async () => {
  const store = openImageStore(newRoot());
  const ref = `${reg.host}/gantry-test/busybox@${imgs.manifestDigest}`;
  const img = await store.pull(ref);
  assert.equal(img.id, imgs.configDigest);
  assert.deepEqual(img.references, [ref]);
  assert.equal((await store.resolve(ref))?.id, img.id);
  assert.equal(await store.resolve(`${reg.host}/gantry-test/busybox:latest`), undefined);
});

test('multi-platform index: the host platform by default, another on request', async () => {
  const store = openImageStore(newRoot());
  const amd = await store.pull(`${reg.host}/gantry-test/multi:latest`, { platform: 'linux/amd64' });
  assert.equal(amd.architecture, 'amd64');
  assert.equal(amd.manifestDigest, imgs.manifestDigest);
  const arm = await store.pull(`${reg.host}/gantry-test/multi:latest`, { platform: 'linux/arm64' });
  assert.equal(arm.architecture, 'arm64');
  assert.notEqual(arm.id, amd.id);
  assert.deepEqual(arm.layers, amd.layers, 'layers are shared by both platforms');
  const host = await openImageStore(newRoot()).pull(`${reg.host}/gantry-test/multi:latest`);
  assert.equal(host.architecture, process.arch === 'arm64' ? 'arm64' : 'amd64');
  await assert.rejects(
    store.pull(`${reg.host}/gantry-test/multi:latest`, { platform: 'linux/s390x' }),
    /no image for platform linux\/s390x/,
  );
});

test('a corrupted blob is rejected and nothing of it is kept', async (t) => {
  const local = await startRegistry();
  t.after(() => local.stop());
  await local.push(`oci:${imgs.ociLayout}:latest`, 'gantry-test/busybox:latest');
  const man = JSON.parse(
    readFileSync(join(imgs.ociLayout, 'blobs', 'sha256', imgs.manifestDigest.slice(7)), 'utf8'),
  ) as { layers: { digest: string }[] };
  const victim = man.layers[1]!.digest;
  const data = readFileSync(local.blobFile(victim));
  data[data.length - 10] = data[data.length - 10]! ^ 0xff; // same size, different bytes
  writeFileSync(local.blobFile(victim), data);
  const root = newRoot();
  const store = openImageStore(root);
  await assert.rejects(
    store.pull(`${local.host}/gantry-test/busybox:latest`),
    /digest mismatch|does not match|unpacking a layer failed/,
  );
  assert.ok(!existsSync(join(root, 'blobs', 'sha256', victim.slice(7))), 'corrupt blob not stored');
  assert.deepEqual(readdirSync(join(root, 'tmp')), [], 'no temp leftovers');
  assert.equal(await store.resolve(`${local.host}/gantry-test/busybox:latest`), undefined);
});

function pullInChild(root: string, ref: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, '../../helpers/image-pull-child.ts'), root, ref],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`child pull failed (${code}): ${err}`))));
  });
}

test('two processes pulling one image download each layer once and agree', async (t) => {
  const proxy = await startRegistryProxy(reg.host);
  t.after(() => proxy.close());
  const root = newRoot();
  const ref = `${proxy.host}/gantry-test/busybox:latest`;
  const [a, b] = await Promise.all([pullInChild(root, ref), pullInChild(root, ref)]);
  const ia = JSON.parse(a) as { id: string; layers: string[] };
  const ib = JSON.parse(b) as { id: string; layers: string[] };
  assert.equal(ia.id, ib.id);
  assert.deepEqual(ia.layers, ib.layers);
  const man = JSON.parse(
    readFileSync(join(imgs.ociLayout, 'blobs', 'sha256', imgs.manifestDigest.slice(7)), 'utf8'),
  ) as { layers: { digest: string }[] };
  for (const l of man.layers)
    assert.equal(
      proxy.hits.get(`GET /v2/gantry-test/busybox/blobs/${l.digest}`),
      1,
      `layer ${l.digest} downloaded once`,
    );
  const img = await openImageStore(root).resolve(ref);
  assert.equal(img?.id, imgs.configDigest);
  for (const dir of img!.layers) assert.ok(existsSync(dir));
});
