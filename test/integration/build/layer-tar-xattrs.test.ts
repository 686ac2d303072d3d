// A RUN layer's xattrs reach its tar through `gantry-shim xattrs-list` (directory fds, no host
// tool): user.* text values become SCHILY.xattr pax records, an opaque dir its .wh..wh..opq, a
// name with a newline or a backslash survives, a symlink's target (a host file with xattrs of
// its own) is never read; and no `getfattr` on PATH is needed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { parseXattrRecords, writeLayerTar } from '../../../src/build/exec/layer-tar.ts';

const dir = mkdtempSync(join(tmpdir(), `gantry-layer-xattrs-${process.pid}-`));
after(() => rmSync(dir, { recursive: true, force: true }));

const setfattr = (path: string, name: string, value: string): void => {
  execFileSync('setfattr', ['-h', '-n', name, '-v', value, path]);
};

async function entries(tar: string): Promise<Map<string, { type: string; pax: Record<string, string> }>> {
  const out = new Map<string, { type: string; pax: Record<string, string> }>();
  const x = extract();
  x.on('entry', (h, stream, next) => {
    out.set(h.name, { type: h.type ?? 'file', pax: (h.pax ?? {}) as Record<string, string> });
    stream.on('end', next);
    stream.resume();
  });
  await new Promise<void>((resolve, reject) => {
    x.on('finish', resolve);
    x.on('error', reject);
    createReadStream(tar).pipe(createGunzip()).pipe(x);
  });
  return out;
}

test('layer tar: xattrs read by fd through the shim, binary-safe names, links not followed', async () => {
  const outside = join(dir, 'outside.txt');
  writeFileSync(outside, 'host file\n');
  setfattr(outside, 'user.secret', 'must-not-leak');
  const layer = join(dir, 'layer');
  mkdirSync(join(layer, 'opq'), { recursive: true });
  writeFileSync(join(layer, 'a.txt'), 'a\n');
  setfattr(join(layer, 'a.txt'), 'user.note', 'hello world');
  writeFileSync(join(layer, 'opq', 'kept'), 'k\n');
  setfattr(join(layer, 'opq'), 'trusted.overlay.opaque', 'y');
  const odd = 'odd\nname\\x';
  writeFileSync(join(layer, odd), 'odd\n');
  setfattr(join(layer, odd), 'user.odd', 'v=1 "quoted"');
  symlinkSync(outside, join(layer, 'link'));
  const path = process.env['PATH'];
  process.env['PATH'] = '/nonexistent'; // no getfattr (nor any other host tool) is used
  let tar;
  try {
    tar = await writeLayerTar(layer, join(dir, 'layer.tar.gz'));
  } finally {
    process.env['PATH'] = path;
  }
  assert.match(tar.diffId, /^sha256:[0-9a-f]{64}$/);
  const got = await entries(join(dir, 'layer.tar.gz'));
  assert.equal(got.get('a.txt')?.pax['SCHILY.xattr.user.note'], 'hello world');
  assert.equal(got.get(odd)?.pax['SCHILY.xattr.user.odd'], 'v=1 "quoted"');
  assert.ok(got.has('opq/.wh..wh..opq'), 'the opaque dir is marked');
  assert.equal(got.get('opq')?.pax['SCHILY.xattr.trusted.overlay.opaque'], undefined, "overlay's own xattr stays out");
  assert.equal(got.get('link')?.type, 'symlink');
  assert.deepEqual(got.get('link')?.pax ?? {}, {}, "the link's target was not read");
});

test('xattrs-list records: length-prefixed path, name, value; binary values kept; truncation refused', () => {
  const field = (b: Buffer): Buffer => Buffer.concat([Buffer.from([b.length, 0, 0, 0]), b]);
  const rec = (p: string, n: string, v: Buffer): Buffer =>
    Buffer.concat([field(Buffer.from(p)), field(Buffer.from(n)), field(v)]);
  const cap = Buffer.from([1, 0, 0, 2, 0xff, 0, 0, 0]);
  const out = Buffer.concat([rec('', 'user.root', Buffer.from('r')), rec('bin/x', 'security.capability', cap)]);
  const m = parseXattrRecords(out);
  assert.equal(m.get('')?.get('user.root')?.toString(), 'r');
  assert.deepEqual(m.get('bin/x')?.get('security.capability'), cap);
  assert.throws(() => parseXattrRecords(out.subarray(0, out.length - 2)), /truncated/);
});
