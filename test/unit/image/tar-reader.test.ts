// The streaming tar reader on archives GNU tar writes (pax xattrs with binary values, long
// names, hard links) and on byte-at-a-time input, where every read spans chunks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync, linkSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ByteReader } from '../../../src/image/unpack/byte-reader.ts';
import { readTar } from '../../../src/image/unpack/tar-reader.ts';
import { decompress, detectCompression, zstdWindow } from '../../../src/image/unpack/decompress.ts';
import { buildTar } from '../../helpers/tar-build.ts';

async function* chunks(b: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

async function entries(
  b: Buffer,
  chunk = 65536,
): Promise<{ name: string; type: string; data: string; link: string }[]> {
  const out = [];
  for await (const e of readTar(new ByteReader(decompress(chunks(b, chunk))))) {
    let data = '';
    for await (const c of e.body) data += c.toString();
    out.push({ name: e.header.name, type: e.header.type, data, link: e.header.linkname });
  }
  return out;
}

test('GNU tar archive: long names, links, pax xattr with a binary value', async (t) => {
  const d = mkdtempSync(join(tmpdir(), `gantry-tar-${process.pid}-`));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  const long = `${'dir-with-a-long-name/'.repeat(8)}file`;
  mkdirSync(join(d, 'src', long, '..'), { recursive: true });
  writeFileSync(join(d, 'src', long), 'deep');
  writeFileSync(join(d, 'src', 'a'), 'A');
  linkSync(join(d, 'src', 'a'), join(d, 'src', 'b'));
  symlinkSync('a', join(d, 'src', 's'));
  execFileSync('setfattr', ['-n', 'user.bin', '-v', '0x00ff0a3d', join(d, 'src', 'a')]);
  execFileSync('tar', [
    '--create',
    '--format=pax',
    '--xattrs',
    '--xattrs-include=*',
    '--sort=name',
    '-f',
    join(d, 't.tar'),
    '-C',
    join(d, 'src'),
    '.',
  ]);
  const tarBytes = readFileSync(join(d, 't.tar'));
  const xattrs: Buffer[] = [];
  for await (const e of readTar(new ByteReader(chunks(tarBytes, 1000)))) {
    const x = e.header.xattrs.get('user.bin');
    if (x) xattrs.push(x);
  }
  assert.deepEqual(xattrs, [Buffer.from([0x00, 0xff, 0x0a, 0x3d])], 'binary xattr survives intact');
  const got = await entries(tarBytes, 1);
  assert.ok(got.some((e) => e.name === `./${long}` && e.data === 'deep'));
  assert.ok(got.some((e) => e.name === './b' && e.type === 'hardlink' && e.link === './a'));
  assert.ok(got.some((e) => e.name === './s' && e.type === 'symlink' && e.link === 'a'));
});

test('compression detection and gzip/zstd decoding give the same entries', async (t) => {
  const tar = buildTar([
    { name: 'x', data: 'hello' },
    { name: 'd/', type: 'dir' },
  ]);
  const d = mkdtempSync(join(tmpdir(), `gantry-tar-${process.pid}-`));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  writeFileSync(join(d, 't.tar'), tar);
  const gz = execFileSync('gzip', ['-c', join(d, 't.tar')]);
  const zst = execFileSync('zstd', ['-q', '-c', join(d, 't.tar')]);
  assert.equal(detectCompression(gz), 'gzip');
  assert.equal(detectCompression(zst), 'zstd');
  assert.equal(detectCompression(tar), 'none');
  const want = await entries(tar);
  assert.deepEqual(await entries(gz, 7), want);
  assert.deepEqual(await entries(zst, 7), want);
  assert.deepEqual(
    want.map((e) => e.name),
    ['x', 'd/'],
  );
});

test('a truncated archive is an error, not a silent short read', async () => {
  const tar = buildTar([{ name: 'x', data: 'y'.repeat(2000) }]);
  await assert.rejects(entries(tar.subarray(0, 1000)), /unexpected end/);
});

test("zstd frames with a window beyond fzstd's limit still decode (zstd binary)", async (t) => {
  const d = mkdtempSync(join(tmpdir(), `gantry-tar-${process.pid}-`));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  const tar = buildTar([{ name: 'big', data: 'z'.repeat(300_000) }]);
  // From stdin the size is unknown, so the frame declares its 2^27 window instead of a size.
  const zst = execFileSync('sh', ['-c', 'zstd -q --long=27 -c'], { input: tar });
  assert.equal(zstdWindow(zst), 2 ** 27);
  const got = await entries(zst, 4096);
  assert.deepEqual(
    got.map((e) => [e.name, e.data.length]),
    [['big', 300_000]],
  );
});
