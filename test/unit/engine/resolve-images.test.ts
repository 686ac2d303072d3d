// Images resolved before planning: a reference many services share is looked up in the store
// once (each lookup reads index.json, the manifest, the config and the layers' sizes: issue 20,
// 60 services of one image made 360 reads), and every service still gets its image.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inlineProject } from '../../helpers/inline-project.ts';
import { openImageStore } from '../../../src/image/index.ts';
import { resolveImages } from '../../../src/engine/ops/resolve-images.ts';
import { minimalImageConfig as config } from '../../helpers/image-config.ts';

test('services sharing an image look it up once; each distinct reference once', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'gantry-resolve-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const store = openImageStore(root);
  const a = await store.createImage(config('a'), [], ['app:1']);
  const b = await store.createImage(config('b'), [], ['other:1']);
  const p = await inlineProject(
    ['services:', ...['s1', 's2', 's3', 's4'].map((s) => `  ${s}: {image: app:1}`), '  t: {image: other:1}', ''].join(
      '\n',
    ),
  );
  const lookups = t.mock.method(store, 'resolve');
  const got = await resolveImages(store, p, ['s1', 's2', 's3', 's4', 't'], { emit: () => undefined });
  assert.deepEqual(
    lookups.mock.calls.map((c) => c.arguments[0]),
    ['app:1', 'other:1'],
    'one lookup per reference (one per service before)',
  );
  // (the map fills as lookups end: compared as a record, whose key order deepEqual ignores)
  assert.deepEqual(Object.fromEntries([...got].map(([s, img]) => [s, img.id])), {
    s1: a.id,
    s2: a.id,
    s3: a.id,
    s4: a.id,
    t: b.id,
  });
});
