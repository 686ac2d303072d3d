// In-root resolution on a real directory tree: absolute links restart at the root, `..` stops
// there, the last link is followed only when asked, missing parts are kept, loops end in an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveInRoot } from '../../../src/runtime/in-root.ts';

test('resolveInRoot keeps every link inside the root', (t) => {
  const root = mkdtempSync(join(tmpdir(), `gantry-inroot-${process.pid}-`));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'data/sub'), { recursive: true });
  mkdirSync(join(root, 'etc'));
  symlinkSync('/etc', join(root, 'data/abs')); // absolute: the container's /etc
  symlinkSync('../../../../../../etc', join(root, 'data/up')); // climbing past the root
  symlinkSync('sub', join(root, 'data/rel'));
  symlinkSync(tmpdir(), join(root, 'data/host')); // a host path, missing inside
  symlinkSync('loop2', join(root, 'loop1'));
  symlinkSync('loop1', join(root, 'loop2'));

  assert.equal(resolveInRoot(root, '/data/abs/passwd', false), '/etc/passwd');
  assert.equal(resolveInRoot(root, '/data/up/passwd', false), '/etc/passwd');
  assert.equal(resolveInRoot(root, '../../data/rel/x', false), '/data/sub/x');
  assert.equal(resolveInRoot(root, '/data/abs', false), '/data/abs', 'the last link is not followed by default');
  assert.equal(resolveInRoot(root, '/data/abs', true), '/etc');
  assert.equal(resolveInRoot(root, '/data/host/secret', false), `${tmpdir()}/secret`, 'a host path names the same path inside');
  assert.equal(resolveInRoot(root, '/', true), '/');
  assert.throws(() => resolveInRoot(root, '/loop1/x', false), /too many levels of symbolic links/);
});
