// Many layers: 120 lower dirs whose absolute paths would overflow mount(2)'s one-page option
// limit still mount (relative lowerdirs from their common parent), stack lowest first, and
// whiteouts in an upper layer hide lower files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, ROOTFS } from '../../helpers/rootfs-runtime.ts';

test('120 layers stack in order past the mount option page limit', async (t) => {
  const f = fixture(t, 'layers');
  const base = mkdtempSync(join(tmpdir(), `gantry-layers-${process.pid}-${'x'.repeat(40)}-`));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  // like the image store: all layers in one directory (the base image through a symlink)
  symlinkSync(ROOTFS, join(base, 'base'));
  const layers = [join(base, 'base')];
  for (let i = 0; i < 120; i++) {
    const dir = join(base, `layer-${String(i).padStart(3, '0')}-${'y'.repeat(12)}`);
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'data', `f${i}`), `${i}\n`);
    writeFileSync(join(dir, 'data', 'top'), `${i}\n`);
    layers.push(dir);
  }
  // the top layer deletes f0 with an overlay whiteout (a 0/0 character device)
  execFileSync('mknod', [join(layers.at(-1)!, 'data', 'f0'), 'c', '0', '0']);
  assert.ok(layers.join(':').length > 4096, 'absolute lowerdirs would not fit in one page');
  const r = await f.run(
    ['/bin/sh', '-c', 'ls /data | wc -l; cat /data/top; test -e /data/f0 || echo f0-hidden; cat /data/f1'],
    {
      rootfs: { layers, readOnly: false },
    },
  );
  assert.equal(r.state.exitCode, 0, r.stderr);
  assert.equal(r.stdout, '120\n119\nf0-hidden\n1\n'); // f1…f119 + top

  // layers in unrelated places, too long even relative to their common parent: short symlinks
  const far = mkdtempSync(join(tmpdir(), `gantry-layers-far-${process.pid}-`));
  t.after(() => rmSync(far, { recursive: true, force: true }));
  const deep = join(far, 'z'.repeat(200), 'y'.repeat(200));
  mkdirSync(join(deep, 'data'), { recursive: true });
  writeFileSync(join(deep, 'data', 'top'), 'far\n');
  const mixed = [...layers.slice(0, 60), deep]; // base + 59 layers (f0…f58) + the far one
  const r2 = await f.run(
    ['/bin/sh', '-c', 'cat /data/top; ls /data | wc -l; grep -o "lowerdir=[^,]*" /proc/self/mountinfo | cut -c1-17'],
    { rootfs: { layers: mixed, readOnly: false } },
  );
  assert.equal(r2.state.exitCode, 0, r2.stderr);
  assert.equal(r2.stdout, 'far\n60\nlowerdir=1o:1n:1m\n'); // 61 layers as short link names, top first
});
