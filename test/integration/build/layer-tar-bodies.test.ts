// A layer tar carries every file's bytes whatever way they are read in (small files whole, large
// ones streamed): contents, sizes, an empty file, a hard link as a link, and a diff_id that is the
// sha256 of the plain tar.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { writeLayerTar } from '../../../src/build/exec/layer-tar.ts';

const dir = mkdtempSync(join(tmpdir(), `gantry-layer-bodies-${process.pid}-`));
after(() => rmSync(dir, { recursive: true, force: true }));

async function bodies(plain: Buffer): Promise<Map<string, { type: string; body: Buffer; linkname?: string }>> {
  const out = new Map<string, { type: string; body: Buffer; linkname?: string }>();
  const x = extract();
  x.on('entry', (h, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => chunks.push(c as Buffer));
    stream.on('end', () => {
      out.set(h.name, {
        type: h.type ?? 'file',
        body: Buffer.concat(chunks),
        ...(h.linkname ? { linkname: h.linkname } : {}),
      });
      next();
    });
  });
  await new Promise<void>((resolve, reject) => {
    x.on('finish', resolve);
    x.on('error', reject);
    x.end(plain);
  });
  return out;
}

test('layer tar: small and large file bodies, an empty file and a hard link; diff_id of the plain tar', async () => {
  const root = join(dir, 'layer');
  mkdirSync(join(root, 'app/files'), { recursive: true });
  const small = new Map<string, string>();
  for (let i = 0; i < 50; i++) {
    small.set(`app/files/f${i}.txt`, `file ${i}\n`);
    writeFileSync(join(root, `app/files/f${i}.txt`), `file ${i}\n`);
  }
  const large = Buffer.alloc((1 << 20) + 12345);
  for (let i = 0; i < large.length; i++) large[i] = (i * 7919) & 0xff;
  writeFileSync(join(root, 'app/large.bin'), large);
  writeFileSync(join(root, 'app/empty'), '');
  linkSync(join(root, 'app/files/f3.txt'), join(root, 'app/hard'));

  const out = join(dir, 'layer.tar.gz');
  const tar = await writeLayerTar(root, out);
  const plain = gunzipSync(readFileSync(out));
  assert.equal(tar.diffId, `sha256:${createHash('sha256').update(plain).digest('hex')}`);
  assert.equal(tar.size, plain.length);
  const got = await bodies(plain);
  for (const [p, content] of small) assert.equal(got.get(p)?.body.toString(), content, p);
  assert.ok(got.get('app/large.bin')?.body.equals(large), 'the large file streamed in whole');
  assert.equal(got.get('app/empty')?.body.length, 0);
  // The link is whichever of the two names the walk meets second (sorted: app/files/f3.txt first).
  assert.deepEqual([got.get('app/hard')?.type, got.get('app/hard')?.linkname], ['link', 'app/files/f3.txt']);
});
