// The store's index.json: naming an image again with the same name changes nothing, so nothing
// is written (a fully cached `image build -t` ends here; the write carried an fsync); a new name
// or a name moved to another image is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { openImageStore } from '../../../src/image/index.ts';
import { minimalImageConfig as config } from '../../helpers/image-config.ts';

test('naming the same image again leaves index.json untouched; a change rewrites it', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'gantry-refs-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const store = openImageStore(root);
  const index = join(root, 'index.json');
  const first = await store.createImage(config('a'), [], ['app:1']);
  const ino = statSync(index).ino;
  const again = await store.createImage(config('a'), [], ['app:1']);
  assert.equal(again.id, first.id);
  assert.equal(statSync(index).ino, ino, 'the same name on the same image: no rewrite (write + rename = new inode)');
  const moved = await store.createImage(config('b'), [], ['app:1']);
  assert.notEqual(statSync(index).ino, ino, 'the name moved to another image: written');
  assert.equal((await store.resolve('app:1'))?.id, moved.id);
  await store.createImage(config('b'), [], ['app:2']);
  assert.deepEqual(
    (JSON.parse(readFileSync(index, 'utf8')) as { manifests: { annotations: Record<string, string> }[] }).manifests.map(
      (m) => Object.values(m.annotations)[0],
    ),
    ['docker.io/library/app:1', 'docker.io/library/app:2'],
  );
});

// Every `container run` resolves its image by name: index.json was read once for the name and once
// more to describe the images (issue 20).
test('resolving a name reads index.json once', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'gantry-refs-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const store = openImageStore(root);
  const made = await store.createImage(config('a'), [], ['app:1']);
  await store.createImage(config('b'), [], ['app:2']);
  const index = join(root, 'index.json');
  const reads: string[] = [];
  const real = fsp.readFile;
  fsp.readFile = ((file: unknown, ...rest: unknown[]) => {
    reads.push(String(file));
    return (real as (...a: unknown[]) => unknown)(file, ...rest);
  }) as typeof fsp.readFile;
  syncBuiltinESMExports();
  try {
    assert.equal((await store.resolve('app:1'))?.id, made.id);
    assert.equal((await store.resolve(made.id.slice(7, 19)))?.id, made.id, 'by Id prefix too');
  } finally {
    fsp.readFile = real;
    syncBuiltinESMExports();
  }
  assert.equal(reads.filter((f) => f === index).length, 2, `${reads.join('\n')}`);
});

test('a lookup creates nothing: a store that was never written stays absent', async (t) => {
  const parent = mkdtempSync(join(tmpdir(), 'gantry-refs-'));
  t.after(() => rmSync(parent, { recursive: true, force: true }));
  const root = join(parent, 'images');
  assert.equal(await openImageStore(root).resolve('app:1'), undefined);
  assert.equal(existsSync(root), false);
});
