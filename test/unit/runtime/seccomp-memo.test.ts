// PID 1's seccomp op kept beside its container: a start compiles and writes it, an exec under the
// same key (capabilities, architecture, kernel, gantry's default profile) reads it instead of
// compiling (issue 20), and anything else is compiled as before. Starts share gantry's default filter
// per policy under the state root (seccomp-filters/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto, { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seccompOpFor } from '../../../src/runtime/process/seccomp-memo.ts';
import { filterKey, seccompOp, seccompProgram } from '../../../src/runtime/process/seccomp.ts';
import { BPF_COMPILER_REVISION } from '../../../src/runtime/seccomp/compile-bpf.ts';
import { toHex } from '../../../src/runtime/seccomp/bpf-asm.ts';

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

test('starts share one compiled default filter per policy; another policy gets its own file', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-seccomp-memo-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const shared = join(dir, 'seccomp-filters');
  const memo = (name: string, role: 'start' | 'exec' = 'start') => ({ file: join(dir, name), role, shared });

  assert.deepEqual(seccompOpFor('default', CAPS, memo('a')), compiled(CAPS));
  const files = readdirSync(shared);
  assert.equal(files.length, 1, 'the first start writes the shared memo');
  assert.equal(files[0], `${filterKey('default', CAPS)!.replaceAll('/', '-')}-r${BPF_COMPILER_REVISION}`);
  const rules = readFileSync(join(shared, files[0]!), 'latin1').split('\n')[0]!;
  assert.match(rules, new RegExp(`^r${BPF_COMPILER_REVISION} \\{.*"defaultAction"`), 'the rules open the file');

  // A second start reads it instead of compiling: a marker program under the same rules comes back,
  // and is what that start keeps for its own execs.
  const marker = ['seccomp', '1', '0006000000000000'];
  writeFileSync(join(shared, files[0]!), `${rules}\n${marker[1]}\n${marker[2]}`);
  assert.deepEqual(seccompOpFor(undefined, CAPS, memo('b')), marker);
  assert.deepEqual(seccompOpFor('default', CAPS, memo('b', 'exec')), marker);
  // An exec whose PID 1 kept no filter reads the shared one too.
  assert.deepEqual(seccompOpFor('default', CAPS, memo('none', 'exec')), marker);
  assert.equal(existsSync(join(dir, 'none')), false, 'an exec never writes a container file');

  // Another capability set, a user's profile, unconfined: not that file.
  const fewer = CAPS & ~1n;
  assert.deepEqual(seccompOpFor('default', fewer, memo('c')), compiled(fewer));
  assert.equal(readdirSync(shared).length, 2);
  const profile = { profile: '{"defaultAction":"SCMP_ACT_ALLOW"}', source: 'allow.json' };
  assert.deepEqual(seccompOpFor(profile, CAPS, memo('d')), seccompOp(seccompProgram(profile, CAPS)!));
  assert.equal(seccompOpFor('unconfined', CAPS, memo('e')), undefined);
  assert.equal(readdirSync(shared).length, 2, "a user's profile and unconfined are never shared");

  // A damaged file (cut short; other rules inside, as another gantry's would be) is compiled over.
  writeFileSync(join(shared, files[0]!), `${rules}\n2\n0006000000000000`);
  assert.deepEqual(seccompOpFor('default', CAPS, memo('f')), compiled(CAPS));
  writeFileSync(
    join(shared, files[0]!),
    `${rules.replace('"defaultAction"', '"defaultAktion"')}\n${marker[1]}\n${marker[2]}`,
  );
  assert.deepEqual(seccompOpFor('default', CAPS, memo('g')), compiled(CAPS), 'other rules: not this filter');
  assert.equal(readFileSync(join(shared, files[0]!), 'latin1').split('\n')[1], compiled(CAPS)[1], 'rewritten whole');
});

// The rules are compared whole rather than hashed: hashing their 15 KB loaded node:crypto for every
// `container run` (bench/RESULTS.md "run12"); on acba6ea the first start hashed them.
test('one process selects the rules once per key and hashes none: later starts read the same file', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-seccomp-memo-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const shared = join(dir, 'seccomp-filters');
  const caps = CAPS & ~2n; // a key no other test of this file (one process) has named
  const hashes = t.mock.method(crypto, 'createHash');
  t.after(() => t.mock.restoreAll());
  for (const name of ['a', 'b', 'c'])
    assert.deepEqual(seccompOpFor('default', caps, { file: join(dir, name), role: 'start', shared }), compiled(caps));
  assert.equal(hashes.mock.callCount(), 0, 'no policy is hashed');
  assert.equal(readdirSync(shared).length, 1, 'the later starts read the same shared file');
});

// The shared memo names a program by its policy and BPF_COMPILER_REVISION, not by the compiler's code.
// When one of these changes: if compile-bpf.ts or bpf-asm.ts emits something else for the same policy,
// bump BPF_COMPILER_REVISION (or every state root keeps loading the old programs); if only the
// profile or the rule selection changed, the policy's digest already changed: re-pin.
test("the compiler's output for gantry's default policies is pinned (BPF_COMPILER_REVISION guard)", () => {
  assert.equal(BPF_COMPILER_REVISION, 1);
  const pins = [
    ['x64', CAPS, [6, 1], '49101f618d20ad557c426d9ce8f0de7e6e831944bd3dc8d0ef133bc61939497b'],
    ['arm64', CAPS, [5, 10], '9c291508092ad43dbce5e92c80691f38c87b67d8642e1cf459becbad9f48612e'],
    ['x64', 0x1ffffffffffn, [4, 19], 'e91205d9e2ac842452397a49f0a7a956a0ae3f7e6229e82c4e6ff31b20c4c08e'],
  ] as const;
  for (const [arch, caps, kernel, pin] of pins) {
    const hex = toHex(seccompProgram('default', caps, arch, kernel)!);
    assert.equal(
      createHash('sha256').update(hex).digest('hex'),
      pin,
      `${arch} ${caps.toString(16)} ${kernel.join('.')}`,
    );
  }
});
