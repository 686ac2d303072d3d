// The arm64 shim the package carries (cross-compiled by the build) is a static aarch64 binary that
// runs: under qemu-user-static it answers with its usage line, as doctor's check expects. (No
// arm64 Node here, so `gantry --version` itself is not run under emulation.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../helpers/packed-install.ts';

const SHIM = join(REPO, 'native/prebuilt/linux-arm64/gantry-shim');
const EM_AARCH64 = 183;
const PT_INTERP = 3;

test('the prebuilt arm64 shim is a static aarch64 ELF', () => {
  execFileSync(process.execPath, [join(REPO, 'scripts/generate/native-shim.mjs'), '--require-all'], {
    stdio: 'inherit',
  });
  const elf = readFileSync(SHIM);
  assert.equal(elf.subarray(0, 4).toString('latin1'), '\x7fELF');
  assert.equal(elf.readUInt16LE(18), EM_AARCH64, 'e_machine');
  // Static: no program header asks for a dynamic loader, so no arm64 libc is needed at run time.
  const phoff = Number(elf.readBigUInt64LE(32));
  const phentsize = elf.readUInt16LE(54);
  const types = Array.from({ length: elf.readUInt16LE(56) }, (_, i) => elf.readUInt32LE(phoff + i * phentsize));
  assert.ok(!types.includes(PT_INTERP), 'has an ELF interpreter (dynamically linked)');
});

test('the prebuilt arm64 shim runs under qemu-aarch64-static: its usage line and exit 125', () => {
  const r = spawnSync('qemu-aarch64-static', [SHIM], { encoding: 'utf8' });
  assert.equal(r.error, undefined, 'qemu-aarch64-static (Debian qemu-user-static) is needed: scripts/setup.sh');
  assert.equal(r.status, 125);
  assert.equal(r.stderr, 'usage: gantry-shim PLAN [REPORT-FD]\n');
  // A subcommand path as well: xattrs with a missing root fails cleanly, not with SIGILL.
  const x = spawnSync('qemu-aarch64-static', [SHIM, 'xattrs', '/nonexistent-root'], { encoding: 'utf8', input: '' });
  assert.equal(x.signal, null);
  assert.notEqual(x.status, 0);
});
