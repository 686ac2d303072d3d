// A volume's first fill sees the image as the container does: the layers merged (a whiteout
// removes, an opaque dir hides what is below), with owners, set-id modes, xattrs, device nodes,
// fifos, symlinks and hard links kept; a target the image lacks leaves the volume empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { TEST_IMAGE_REF } from '../helpers/test-images.ts';
import { openImageStore } from '../../src/image/index.ts';
import { stateDirs } from '../../src/common/state-root.ts';
import { createVolume, populateVolume, volumeData } from '../../src/engine/ops/volumes.ts';

test('volume fill: the merged image at the mount point, metadata kept', { timeout: 120_000 }, async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const image = await openImageStore(stateDirs(e.root).images).resolve(TEST_IMAGE_REF);
  assert.ok(image);
  createVolume(e.root, 'whole', 'p');
  await populateVolume(e.root, 'whole', image.layers, '/');
  const v = volumeData(e.root, 'whole');
  assert.deepEqual(readdirSync(join(v, 'etc')).sort(), ['group', 'layer3', 'passwd'], 'etc/removed is whited out');
  assert.deepEqual(readdirSync(join(v, 'opq')), ['upper'], 'the opaque dir hides the lower layer');
  assert.equal(readlinkSync(join(v, 'lnk')), 'bin/busybox');
  const suid = lstatSync(join(v, 'x/suid'));
  assert.deepEqual([suid.mode & 0o7777, suid.uid, suid.gid], [0o4755, 1000, 1000]);
  assert.equal(lstatSync(join(v, 'tmp')).mode & 0o7777, 0o1777);
  assert.ok(lstatSync(join(v, 'dev/gnull')).isCharacterDevice());
  assert.ok(lstatSync(join(v, 'dev/gfifo')).isFIFO());
  assert.match(execFileSync('getfattr', ['-n', 'user.gantry', join(v, 'x/attr')]).toString(), /user.gantry="yes"/);
  assert.equal(readFileSync(join(v, 'hl/b'), 'utf8'), 'hard linked\n');
  assert.equal(lstatSync(join(v, 'hl/a')).ino, lstatSync(join(v, 'hl/b')).ino, 'hard links stay links');

  createVolume(e.root, 'none', 'p');
  await populateVolume(e.root, 'none', image.layers, '/not/in/image');
  assert.deepEqual(readdirSync(volumeData(e.root, 'none')), []);
  createVolume(e.root, 'file', 'p');
  await populateVolume(e.root, 'file', image.layers, '/etc/passwd');
  assert.deepEqual(readdirSync(volumeData(e.root, 'file')), [], 'a file at the target fills nothing');
  assert.equal(existsSync(join(v, 'etc/removed')), false);
});
