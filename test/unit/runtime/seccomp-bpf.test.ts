// The seccomp compiler, judged by running its BPF in an interpreter: Docker's default semantics
// (an allow-list, EPERM for the rest, capability-gated groups, argument filters), both
// architectures, every comparison on 64-bit arguments, and Docker profile JSON with its errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seccompProgram } from '../../../src/runtime/process/seccomp.ts';
import { capabilityMask, capabilityNames } from '../../../src/runtime/process/caps.ts';
import { syscallNumber, selectRules } from '../../../src/runtime/seccomp/select-rules.ts';
import { compileBpf } from '../../../src/runtime/seccomp/compile-bpf.ts';
import { parseDockerProfile } from '../../../src/runtime/seccomp/docker-profile.ts';
import { DEFAULT_PROFILE } from '../../../src/runtime/seccomp/profile-default.ts';
import {
  ALLOW,
  AUDIT_ARCH_AARCH64,
  AUDIT_ARCH_I386,
  AUDIT_ARCH_X86_64,
  errno,
  runFilter,
} from '../../helpers/bpf-interpreter.ts';

const EPERM = errno(1);
const ENOSYS = errno(38);
const KERNEL: [number, number] = [6, 1];
const CLONE_NEWUSER = 0x10000000n;
const CLONE_NEWNS = 0x20000n;
const SIGCHLD = 17n;

function verdicts(caps: readonly string[], arch: 'x64' | 'arm64' = 'x64', kernel = KERNEL) {
  const prog = seccompProgram('default', capabilityMask(caps), arch, kernel)!;
  const a = arch === 'x64' ? 'x86_64' : 'aarch64';
  const auditArch = arch === 'x64' ? AUDIT_ARCH_X86_64 : AUDIT_ARCH_AARCH64;
  return (name: string, ...args: bigint[]) => {
    const nr = syscallNumber(name, a);
    assert.ok(nr !== undefined, `${name} has a number on ${a}`);
    return runFilter(prog, { nr, arch: auditArch, args });
  };
}

test('default profile: ordinary calls pass, Docker-refused ones fail with EPERM (x86-64, default caps)', () => {
  const v = verdicts([]);
  for (const name of [
    'read',
    'write',
    'openat',
    'close',
    'execve',
    'exit_group',
    'mmap',
    'futex',
    'rt_sigaction',
    'wait4',
    'setresuid',
    'capset',
    'prctl',
    'arch_prctl',
    'getrandom',
    'epoll_wait',
    'connect',
    'chroot',
  ]) {
    assert.equal(v(name), ALLOW, name);
  }
  for (const name of [
    'keyctl',
    'add_key',
    'request_key',
    'bpf',
    'perf_event_open',
    'userfaultfd',
    'io_uring_setup',
    'io_uring_enter',
    'io_uring_register',
    'kexec_load',
    'kexec_file_load',
    'mount',
    'umount2',
    'fsopen',
    'open_tree',
    'setns',
    'acct',
    'swapon',
    'swapoff',
    'reboot',
    'open_by_handle_at',
    'init_module',
    'finit_module',
    'settimeofday',
    'clock_settime',
    'get_mempolicy',
    'move_pages',
    'kcmp',
    'pidfd_getfd',
    'syslog',
    'iopl',
    'vhangup',
    'uselib',
    'lookup_dcookie',
    'quotactl_fd',
    'fanotify_init',
    'sethostname',
  ]) {
    assert.equal(v(name), EPERM, name);
  }
  assert.equal(v('clone3'), ENOSYS, 'clone3: ENOSYS so libc falls back to clone');
});

test('default profile: argument filters (socket family, personality, namespace flags) on full 64-bit values', () => {
  const v = verdicts([]);
  assert.equal(v('socket', 2n, 1n, 0n), ALLOW, 'AF_INET');
  assert.equal(v('socket', 1n, 1n, 0n), ALLOW, 'AF_UNIX');
  assert.equal(v('socket', 40n, 1n, 0n), EPERM, 'AF_VSOCK');
  assert.equal(v('socket', 40n | (1n << 32n)), ALLOW, 'a 64-bit value is not AF_VSOCK');
  for (const p of [0n, 8n, 0x20000n, 0x20008n, 0xffffffffn])
    assert.equal(v('personality', p), ALLOW, `personality ${p}`);
  for (const p of [0x40000n, 0x400000n, 0x1n, 0x1ffffffffn])
    assert.equal(v('personality', p), EPERM, `personality ${p}`);
  assert.equal(v('clone', SIGCHLD), ALLOW, 'fork');
  assert.equal(v('clone', 0x3d0f00n), ALLOW, 'pthread_create flags');
  for (const f of [CLONE_NEWUSER, CLONE_NEWNS, 0x40000000n, 0x2000000n, 0x4000000n, 0x8000000n, 0x20000000n]) {
    assert.equal(v('clone', f | SIGCHLD), EPERM, `clone 0x${f.toString(16)}`);
    assert.equal(v('unshare', f), EPERM, `unshare 0x${f.toString(16)}`);
  }
  assert.equal(v('unshare', 0x200n), ALLOW, 'unshare(CLONE_FS) makes no namespace');
});

test('default profile: capabilities open their groups, as Docker does', () => {
  const admin = verdicts(['SYS_ADMIN']);
  for (const n of ['mount', 'umount2', 'setns', 'fsopen', 'sethostname', 'clone3', 'bpf', 'perf_event_open']) {
    assert.equal(admin(n), ALLOW, n);
  }
  assert.equal(admin('unshare', CLONE_NEWUSER), ALLOW);
  assert.equal(admin('clone', CLONE_NEWNS | SIGCHLD), ALLOW);
  assert.equal(admin('keyctl'), EPERM, 'no capability opens the keyrings');
  assert.equal(admin('io_uring_setup'), EPERM);
  assert.equal(verdicts(['SYS_PTRACE'])('kcmp'), ALLOW);
  assert.equal(verdicts(['SYS_NICE'])('get_mempolicy'), ALLOW);
  assert.equal(verdicts(['SYS_TIME'])('settimeofday'), ALLOW);
  assert.equal(verdicts(['SYS_BOOT'])('reboot'), ALLOW);
  assert.equal(verdicts(['DAC_READ_SEARCH'])('open_by_handle_at'), ALLOW);
  assert.equal(verdicts([], 'x64', [4, 4])('ptrace'), EPERM, 'ptrace without CAP_SYS_PTRACE only from kernel 4.8');
  assert.equal(verdicts([])('ptrace'), ALLOW);
  assert.equal(verdicts(['ALL'])('ptrace'), ALLOW);
});

test('default profile: foreign architectures, x32 and unknown numbers fail with EPERM', () => {
  const prog = seccompProgram('default', capabilityMask(), 'x64', KERNEL)!;
  assert.equal(runFilter(prog, { nr: 0, arch: AUDIT_ARCH_I386 }), EPERM, 'i386 read');
  assert.equal(runFilter(prog, { nr: 0x40000000, arch: AUDIT_ARCH_X86_64 }), EPERM, 'x32 read');
  for (const nr of [1000, 0x3fffffff, 0xffffffff, 469])
    assert.equal(runFilter(prog, { nr, arch: AUDIT_ARCH_X86_64 }), EPERM, `nr ${nr}`);
  // every number is judged: each of 0..600 ends in a verdict, allowed ones only where the profile names them
  const rules = selectRules(DEFAULT_PROFILE, {
    arch: 'x86_64',
    caps: capabilityNames(capabilityMask()),
    kernel: KERNEL,
  }).rules;
  const allowed = new Set(rules.filter((r) => r.args.length === 0 && r.action.kind === 'allow').map((r) => r.nr));
  const tested = new Set(rules.filter((r) => r.args.length > 0).map((r) => r.nr));
  for (let nr = 0; nr < 600; nr++) {
    if (tested.has(nr)) continue;
    const got = runFilter(prog, { nr, arch: AUDIT_ARCH_X86_64 });
    assert.equal(got, allowed.has(nr) ? ALLOW : nr === 435 ? ENOSYS : EPERM, `nr ${nr}`);
  }
  assert.ok(allowed.size > 300, `${allowed.size} calls allowed`);
});

test('default profile on aarch64: its own numbers, its own arch check', () => {
  const v = verdicts([], 'arm64');
  assert.equal(v('read'), ALLOW);
  assert.equal(v('openat'), ALLOW);
  assert.equal(v('mount'), EPERM);
  assert.equal(v('keyctl'), EPERM);
  assert.equal(v('socket', 40n), EPERM);
  assert.equal(v('clone', CLONE_NEWUSER | SIGCHLD), EPERM);
  const prog = seccompProgram('default', capabilityMask(), 'arm64', KERNEL)!;
  assert.equal(runFilter(prog, { nr: 63, arch: AUDIT_ARCH_X86_64 }), EPERM, 'an x86-64 call against the arm64 filter');
  assert.equal(seccompProgram('default', capabilityMask(), 'ppc64', KERNEL), undefined, 'no table: no filter');
  assert.equal(seccompProgram('unconfined', capabilityMask(), 'x64', KERNEL), undefined);
});

test('every comparison, on both halves of 64-bit arguments, agrees with plain arithmetic', () => {
  const ops = {
    SCMP_CMP_EQ: (a: bigint, v: bigint) => a === v,
    SCMP_CMP_NE: (a: bigint, v: bigint) => a !== v,
    SCMP_CMP_LT: (a: bigint, v: bigint) => a < v,
    SCMP_CMP_LE: (a: bigint, v: bigint) => a <= v,
    SCMP_CMP_GT: (a: bigint, v: bigint) => a > v,
    SCMP_CMP_GE: (a: bigint, v: bigint) => a >= v,
  };
  const values = [0n, 1n, 5n, 0xfffffffen, 0xffffffffn, 0x100000000n, 0x100000005n, 0x5_00000000n, 1n << 52n];
  const args = [...values, 6n, 4n, 0x100000004n, 0x100000006n, 0xffffffff_ffffffffn, 1n << 63n];
  for (const [op, f] of Object.entries(ops)) {
    for (const value of values) {
      const json = JSON.stringify({
        defaultAction: 'SCMP_ACT_ERRNO',
        syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW', args: [{ index: 3, value: Number(value), op }] }],
      });
      const prog = compileBpf(
        selectRules(parseDockerProfile(json, 'p.json'), { arch: 'x86_64', caps: [], kernel: KERNEL }),
      );
      for (const a of args) {
        const got = runFilter(prog, { nr: 0, arch: AUDIT_ARCH_X86_64, args: [0n, 0n, 0n, a] });
        assert.equal(got, f(a, value) ? ALLOW : EPERM, `${op} arg=0x${a.toString(16)} value=0x${value.toString(16)}`);
      }
    }
  }
  const masked = JSON.stringify({
    defaultAction: 'SCMP_ACT_ERRNO',
    syscalls: [
      {
        names: ['read'],
        action: 'SCMP_ACT_ALLOW',
        args: [{ index: 1, value: 0x1_000000f0, valueTwo: 0x1_00000030, op: 'SCMP_CMP_MASKED_EQ' }],
      },
    ],
  });
  const prog = compileBpf(
    selectRules(parseDockerProfile(masked, 'm.json'), { arch: 'x86_64', caps: [], kernel: KERNEL }),
  );
  for (const a of [0x1_00000030n, 0x1_00000f3fn, 0x30n, 0x1_00000020n, 0x3_00000030n, 0x2_00000030n]) {
    const want = (a & 0x1_000000f0n) === 0x1_00000030n ? ALLOW : EPERM;
    assert.equal(
      runFilter(prog, { nr: 0, arch: AUDIT_ARCH_X86_64, args: [0n, a] }),
      want,
      `masked 0x${a.toString(16)}`,
    );
  }
});

test('Docker profile JSON: a deny-list profile, errnoRet, caps, arches, repeated index as alternatives', () => {
  const json = JSON.stringify({
    defaultAction: 'SCMP_ACT_ALLOW',
    syscalls: [
      { names: ['mount', 'no_such_call'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 },
      { names: ['chmod'], action: 'SCMP_ACT_ERRNO', excludes: { caps: ['CAP_FOWNER'] } },
      { names: ['getpid'], action: 'SCMP_ACT_KILL_PROCESS', includes: { arches: ['arm64'] } },
      {
        names: ['write'],
        action: 'SCMP_ACT_ERRNO',
        args: [
          { index: 0, value: 7, op: 'SCMP_CMP_EQ' },
          { index: 0, value: 9, op: 'SCMP_CMP_EQ' },
        ],
      },
    ],
  });
  const p = parseDockerProfile(json, 'deny.json');
  const run = (caps: string[], nr: number, args: bigint[] = []) =>
    runFilter(compileBpf(selectRules(p, { arch: 'x86_64', caps, kernel: KERNEL })), {
      nr,
      arch: AUDIT_ARCH_X86_64,
      args,
    });
  assert.equal(run([], 165), errno(13), 'mount');
  assert.equal(run([], 90), EPERM, 'chmod without CAP_FOWNER');
  assert.equal(run(['CAP_FOWNER'], 90), ALLOW, 'chmod with it');
  assert.equal(run([], 39), ALLOW, 'getpid rule is for arm64 only');
  assert.equal(run([], 1, [7n]), EPERM);
  assert.equal(run([], 1, [9n]), EPERM);
  assert.equal(run([], 1, [8n]), ALLOW);
  // the first rule whose tests hold decides, even when it ends as the fallback does
  const order = parseDockerProfile(
    JSON.stringify({
      defaultAction: 'SCMP_ACT_ALLOW',
      syscalls: [
        { names: ['write'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 1, op: 'SCMP_CMP_EQ' }] },
        { names: ['write'], action: 'SCMP_ACT_ERRNO', args: [{ index: 0, value: 0, op: 'SCMP_CMP_NE' }] },
      ],
    }),
    'order.json',
  );
  const ordered = compileBpf(selectRules(order, { arch: 'x86_64', caps: [], kernel: KERNEL }));
  assert.equal(runFilter(ordered, { nr: 1, arch: AUDIT_ARCH_X86_64, args: [1n] }), ALLOW);
  assert.equal(runFilter(ordered, { nr: 1, arch: AUDIT_ARCH_X86_64, args: [2n] }), EPERM);
  assert.equal(runFilter(ordered, { nr: 1, arch: AUDIT_ARCH_X86_64, args: [0n] }), ALLOW);
});

test('Docker profile JSON: what cannot be expressed or is malformed is a one-line error naming the file and field', () => {
  const err = (doc: unknown, re: RegExp) =>
    assert.throws(
      () => parseDockerProfile(JSON.stringify(doc), 'x.json'),
      (e: Error) => {
        assert.match(e.message, re);
        assert.doesNotMatch(e.message, /\n/);
        return true;
      },
    );
  err({ defaultAction: 'SCMP_ACT_NOTIFY' }, /x\.json: defaultAction: SCMP_ACT_NOTIFY needs a notification listener/);
  err({ defaultAction: 'SCMP_ACT_ERRNO', listenerPath: '/run/x.sock' }, /listenerPath: no user notification listener/);
  err({ defaultAction: 'SCMP_ACT_ERRNO', flags: ['SECCOMP_FILTER_FLAG_LOG'] }, /flags: filter flags are not supported/);
  err({ defaultAction: 'SCMP_ACT_BOGUS' }, /x\.json: defaultAction: unknown action "SCMP_ACT_BOGUS"/);
  err(
    {
      defaultAction: 'SCMP_ACT_ERRNO',
      syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 1, op: 'SCMP_CMP_LIKE' }] }],
    },
    /syscalls\[0\]\.args\[0\]\.op: unknown comparison/,
  );
  err(
    {
      defaultAction: 'SCMP_ACT_ERRNO',
      syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW', args: [{ index: 6, value: 1, op: 'SCMP_CMP_EQ' }] }],
    },
    /args\[0\]\.index: 0 to 5/,
  );
  err(
    {
      defaultAction: 'SCMP_ACT_ERRNO',
      syscalls: [
        {
          names: ['read'],
          action: 'SCMP_ACT_ALLOW',
          // eslint-disable-next-line no-loss-of-precision -- the literal a profile holds, which JSON.parse rounds too
          args: [{ index: 0, value: 18446744073709551615, op: 'SCMP_CMP_EQ' }],
        },
      ],
    },
    /beyond 2\^53/,
  );
  err(
    { defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ action: 'SCMP_ACT_ALLOW' }] },
    /syscalls\[0\]\.names: at least one/,
  );
  assert.throws(() => parseDockerProfile('{', 'x.json'), /x\.json: not valid JSON/);
});
