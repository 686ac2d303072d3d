// Which shim a tree runs: its own build first, then the prebuilt one for process.arch; on an
// architecture with no prebuilt binary it is compiled once, and with no compiler the error is one
// line naming the packages to install. Run against copies of the package layout in a temp dir.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { findShimBinary, shimBinary } from '../../../src/common/shim-binary.ts';
import { packageRoot } from '../../../src/common/package-root.ts';
import { RuntimeError } from '../../../src/common/errors.ts';

const native = fileURLToPath(new URL('../../../native/', import.meta.url));

function packageCopy(withPrebuilt: readonly string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'gantry-shim-'));
  mkdirSync(join(root, 'native'));
  for (const f of readdirSync(native).filter((n) => n.endsWith('.c') || n.endsWith('.h')))
    copyFileSync(join(native, f), join(root, 'native', f));
  for (const arch of withPrebuilt) {
    mkdirSync(join(root, 'native', 'prebuilt', `linux-${arch}`), { recursive: true });
    writeFileSync(join(root, 'native', 'prebuilt', `linux-${arch}`, 'gantry-shim'), '');
  }
  return root;
}

test('the shim is resolved inside the package root, never beside it (node_modules/native/...)', () => {
  const found = shimBinary();
  assert.ok(found.startsWith(`${packageRoot()}/native/`), found);
  assert.ok(existsSync(found));
});

test('an install without a local build runs the prebuilt binary of its own architecture', () => {
  const root = packageCopy(['x64', 'arm64']);
  try {
    assert.equal(findShimBinary({ root, arch: 'arm64' }), join(root, 'native/prebuilt/linux-arm64/gantry-shim'));
    assert.equal(shimBinary({ root, arch: 'x64' }), join(root, 'native/prebuilt/linux-x64/gantry-shim'));
    assert.equal(findShimBinary({ root, arch: 'riscv64' }), undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('another architecture compiles the shim once from the packaged sources', () => {
  const root = packageCopy(['x64', 'arm64']);
  try {
    const out = shimBinary({ root, arch: 'riscv64' });
    assert.equal(out, join(root, 'native/build/gantry-shim'));
    const r = spawnSync(out, [], { encoding: 'utf8' });
    assert.equal(r.status, 125);
    assert.match(r.stderr, /usage: gantry-shim/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('no compiler on another architecture: one line naming what to install', () => {
  const root = packageCopy([]);
  const path = process.env.PATH;
  process.env.PATH = join(root, 'empty-bin');
  try {
    assert.throws(
      () => shimBinary({ root, arch: 'riscv64' }),
      (err: unknown) => {
        assert.ok(err instanceof RuntimeError);
        assert.match(
          err.message,
          /^gantry: no prebuilt gantry-shim for linux-riscv64 and no C compiler .*gcc libc6-dev/,
        );
        assert.doesNotMatch(err.message, /\n/);
        return true;
      },
    );
  } finally {
    process.env.PATH = path;
    rmSync(root, { recursive: true, force: true });
  }
});
