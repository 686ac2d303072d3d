// removeInside refuses what is not strictly inside its folder (by name and by real path);
// replaceFile and the lock fall back to forms that need no new data block.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeInside, removeSmallInside } from '../../../src/common/remove-inside.ts';
import { nameProblem } from '../../../src/common/names.ts';
import { lockContent } from '../../../src/common/lock-file.ts';

function scratch(): string {
  const d = mkdtempSync(join(tmpdir(), 'gantry-rm-inside-'));
  mkdirSync(join(d, 'parent', 'child'), { recursive: true });
  mkdirSync(join(d, 'outside'));
  writeFileSync(join(d, 'outside', 'canary'), 'x');
  return d;
}

test('removeInside removes a child and refuses the folder itself, ".." and paths outside', () => {
  const d = scratch();
  try {
    const parent = join(d, 'parent');
    for (const bad of [
      parent,
      join(parent, '..'),
      join(parent, '..', 'outside'),
      join(parent, 'child', '..', '..'),
      '/',
    ]) {
      assert.throws(() => removeInside(parent, bad), /refusing to remove/, bad);
    }
    removeInside(parent, join(parent, 'child'));
    assert.ok(!existsSync(join(parent, 'child')));
    assert.ok(existsSync(join(d, 'outside', 'canary')));
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('removeInside refuses a child whose parent is a symlink leading out, and removes a symlinked child as a link', () => {
  const d = scratch();
  try {
    const parent = join(d, 'parent');
    symlinkSync(join(d, 'outside'), join(parent, 'jump'));
    assert.throws(() => removeInside(parent, join(parent, 'jump', 'canary')), /resolves outside/);
    removeInside(parent, join(parent, 'jump'));
    assert.ok(!existsSync(join(parent, 'jump')));
    assert.equal(readFileSync(join(d, 'outside', 'canary'), 'utf8'), 'x', 'the link went, not its target');
    removeInside(join(d, 'gone'), join(d, 'gone', 'x')); // nothing there: nothing to do
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test("names: Docker's and Compose's rules", () => {
  for (const ok of ['a', 'web.1', 'My_vol-2']) assert.equal(nameProblem('volume', ok), undefined, ok);
  for (const bad of ['', '..', '.', '../x', 'a/b', '-a', '_a', 'a\nb', 'x'.repeat(256)])
    assert.ok(nameProblem('volume', bad), bad);
  assert.equal(nameProblem('project', 'p_1-x'), undefined);
  for (const bad of ['P', '../p', 'a.b']) assert.ok(nameProblem('project', bad), bad);
});

test('a lock held as a symlink (written on a full disk) reads as its target', () => {
  const d = mkdtempSync(join(tmpdir(), 'gantry-lock-'));
  try {
    symlinkSync('123 456\n', join(d, 'lock'));
    assert.equal(lockContent(join(d, 'lock')), '123 456\n');
    writeFileSync(join(d, 'file'), '7 8\n');
    assert.equal(lockContent(join(d, 'file')), '7 8\n');
    assert.equal(lockContent(join(d, 'none')), undefined);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('removeSmallInside removes a small tree on this thread, a larger one through fs.rm, and follows no symlink', async () => {
  const d = scratch();
  try {
    const parent = join(d, 'parent');
    const small = join(parent, 'small');
    mkdirSync(join(small, 'upper', 'etc'), { recursive: true });
    writeFileSync(join(small, 'state.json'), '{}');
    writeFileSync(join(small, 'upper', 'etc', 'hosts'), '');
    symlinkSync(join(d, 'outside'), join(small, 'link'));
    const large = join(parent, 'large');
    mkdirSync(large);
    for (let i = 0; i < 80; i++) writeFileSync(join(large, `f${i}`), '');
    // Gone before the promise is awaited (no pool round trip); the larger one only once fs.rm finishes.
    const removing = [removeSmallInside(parent, small), removeSmallInside(parent, large)];
    assert.deepEqual([existsSync(small), existsSync(large)], [false, true]);
    await Promise.all(removing);
    assert.deepEqual([existsSync(large), existsSync(join(d, 'outside', 'canary'))], [false, true]);
    await assert.rejects(removeSmallInside(parent, parent), /refusing to remove/);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});
