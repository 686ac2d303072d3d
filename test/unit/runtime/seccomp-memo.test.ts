// PID 1's seccomp op kept beside its container: a start compiles and writes it, an exec under the
// same key (capabilities, architecture, kernel, gantry's default profile) reads it instead of
// compiling (issue 20), and anything else is compiled as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seccompOpFor } from '../../../src/runtime/process/seccomp-memo.ts';
import { filterKey, seccompOp, seccompProgram } from '../../../src/runtime/process/seccomp.ts';

const CAPS = 0xa80425fbn; // Docker's default set
const compiled = (caps: bigint) => seccompOp(seccompProgram('default', caps)!);

test('a start writes its filter; an exec with the same key reads it, any other compiles', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-seccomp-memo-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'seccomp');

  assert.deepEqual(seccompOpFor('default', CAPS, { file, role: 'exec' }), compiled(CAPS));
  assert.equal(existsSync(file), false, 'an exec never writes the file');
  assert.deepEqual(seccompOpFor('default', CAPS, { file, role: 'start' }), compiled(CAPS));
  assert.equal(readFileSync(file, 'latin1').split('\n')[0], filterKey('default', CAPS));

  // What the exec returns comes from the file, not from a compile: a marker program under the key.
  const marker = ['seccomp', '1', '0006000000000000'];
  writeFileSync(file, `${filterKey('default', CAPS)}\n${marker[1]}\n${marker[2]}`);
  assert.deepEqual(seccompOpFor('default', CAPS, { file, role: 'exec' }), marker);
  assert.deepEqual(seccompOpFor(undefined, CAPS, { file, role: 'exec' }), marker, 'no setting is the default');

  // Other capabilities, unconfined, a user's profile, a damaged file: not PID 1's filter.
  const fewer = CAPS & ~1n; // without CAP_CHOWN: another key
  assert.deepEqual(seccompOpFor('default', fewer, { file, role: 'exec' }), compiled(fewer));
  assert.equal(seccompOpFor('unconfined', CAPS, { file, role: 'exec' }), undefined);
  const profile = { profile: '{"defaultAction":"SCMP_ACT_ALLOW"}', source: 'allow.json' };
  assert.deepEqual(seccompOpFor(profile, CAPS, { file, role: 'exec' }), seccompOp(seccompProgram(profile, CAPS)!));
  writeFileSync(file, `${filterKey('default', CAPS)}\n2\n0006000000000000`);
  assert.deepEqual(seccompOpFor('default', CAPS, { file, role: 'exec' }), compiled(CAPS));
});

test('a start whose memo cannot be written still gets its filter, and no older memo is left', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-seccomp-memo-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'seccomp');
  writeFileSync(file, `${filterKey('default', CAPS)}\n1\n0006000000000000`); // a previous start's
  mkdirSync(`${file}.tmp`); // the write fails as it would on a full state root (ENOSPC, attack names-07)
  assert.deepEqual(seccompOpFor('default', CAPS, { file, role: 'start' }), compiled(CAPS));
  assert.equal(existsSync(file), false, 'the older memo is removed');
  assert.deepEqual(seccompOpFor('default', CAPS, { file, role: 'exec' }), compiled(CAPS), 'the exec compiles');
});
