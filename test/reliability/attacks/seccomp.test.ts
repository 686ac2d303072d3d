// Attack class "seccomp": a hostile container calls into the kernel where Docker's default seccomp
// profile says no. Each call is made raw by a static probe, so no libc wrapper hides the errno.
// Docker's semantics are an allow-list: kernel keyrings, bpf, perf, userfaultfd, io_uring, kexec,
// new namespaces and the mount API without CAP_SYS_ADMIN, and every call the profile does not name
// fail with EPERM, while ordinary programs keep working and cap_add opens what Docker opens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../../helpers/rootfs-runtime.ts';
import type { ProcessSpec } from '../../../src/runtime/index.ts';
import { ARCH, call, probeLayer, results } from '../../helpers/attack-seccomp.ts';

const CLONE_NEWUSER = 0x10000000;
const SIGCHLD = 17;
const AF_VSOCK = 40;

test('attacks: seccomp', { skip: ARCH === undefined ? 'no syscall table for this architecture' : false }, async (t) => {
  const f = fixture(t, 'scmp');
  const layer = probeLayer(t);
  const rootfs = { layers: [f.spec([]).rootfs.layers[0]!, layer], readOnly: false };
  const run = (args: string[], proc: Partial<ProcessSpec> = {}) =>
    f.run([], { rootfs, process: { args, env: ['PATH=/bin'], cwd: '/', ...proc } });
  const probe = async (calls: string[], proc: Partial<ProcessSpec> = {}) => {
    const r = await run(['/probe', ...calls], proc);
    assert.equal(r.state.exitCode, 0, r.stderr);
    return results(r.stdout);
  };
  const refused = (got: Map<string, string>, labels: readonly string[]) => {
    const seen = Object.fromEntries(labels.map((l) => [l, got.get(l)]));
    assert.deepEqual(seen, Object.fromEntries(labels.map((l) => [l, 'EPERM'])));
  };

  await t.test('attack seccomp-01: kernel keyrings (add_key, keyctl, request_key) are held', async () => {
    refused(
      await probe([call('add_key', 'add_key'), call('keyctl', 'keyctl', 0), call('request_key', 'request_key')]),
      ['add_key', 'keyctl', 'request_key'],
    );
  });

  await t.test('attack seccomp-02: bpf, perf_event_open, userfaultfd, io_uring are held', async () => {
    const got = await probe([
      call('bpf', 'bpf', 0),
      call('perf', 'perf_event_open'),
      call('uffd', 'userfaultfd'),
      call('uring', 'io_uring_setup', 1),
      call('uring_enter', 'io_uring_enter'),
      call('uring_reg', 'io_uring_register'),
    ]);
    refused(got, ['bpf', 'perf', 'uffd', 'uring', 'uring_enter', 'uring_reg']);
  });

  await t.test('attack seccomp-03: kexec, accounting, swap, reboot, open_by_handle_at, modules are held', async () => {
    const got = await probe([
      call('kexec', 'kexec_load'),
      call('acct', 'acct'),
      call('swapon', 'swapon'),
      call('reboot', 'reboot'),
      call('handle', 'open_by_handle_at'),
      call('module', 'finit_module', 999),
    ]);
    refused(got, ['kexec', 'acct', 'swapon', 'reboot', 'handle', 'module']);
  });

  await t.test('attack seccomp-04: a new user namespace (unshare, clone) is held', async () => {
    refused(await probe([call('unshare', 'unshare', CLONE_NEWUSER), call('clone', 'clone', CLONE_NEWUSER | SIGCHLD)]), [
      'unshare',
      'clone',
    ]);
    const r = await run(['/bin/sh', '-c', 'unshare -U true && echo USERNS; true']);
    assert.doesNotMatch(r.stdout, /USERNS/);
  });

  await t.test('attack seccomp-05: mount and the mount API without CAP_SYS_ADMIN are held (cap_add: ok)', async () => {
    refused(
      await probe([
        call('mount', 'mount'),
        call('fsopen', 'fsopen'),
        call('open_tree', 'open_tree'),
        call('setns', 'setns'),
      ]),
      ['mount', 'fsopen', 'open_tree', 'setns'],
    );
    const script = 'mkdir -p /m && mount -t tmpfs none /m && echo MOUNTED; grep -c " /m " /proc/self/mounts';
    const plain = await run(['/bin/sh', '-c', script]);
    assert.doesNotMatch(plain.stdout, /MOUNTED/);
    const admin = await run(['/bin/sh', '-c', script], { capAdd: ['SYS_ADMIN'] });
    assert.match(admin.stdout, /^MOUNTED\n1$/m, admin.stderr);
  });

  await t.test(
    "attack seccomp-06: calls outside Docker's list (personality changes, AF_VSOCK, NUMA, kcmp, " +
      'unknown numbers) are held with EPERM',
    async () => {
      const got = await probe([
        call('personality', 'personality', 0x0040000), // ADDR_NO_RANDOMIZE: defeat ASLR for an exploit
        call('vsock', 'socket', AF_VSOCK, 1, 0), // talk to the hypervisor
        call('move_pages', 'move_pages', 0, 0, 0, 0, 0, 0),
        call('get_mempolicy', 'get_mempolicy', 0, 0, 0, 0, 0),
        call('kcmp', 'kcmp', 1, 1, 0, 0, 0),
        call('unknown', '#1000'),
      ]);
      refused(got, ['personality', 'vsock', 'move_pages', 'get_mempolicy', 'kcmp', 'unknown']);
    },
  );

  await t.test('attack seccomp-07: over-filtering ordinary programs (shell, threads, HTTP) is held', async () => {
    const got = await probe([
      call('query', 'personality', 0xffffffff),
      call('linux', 'personality', 0),
      call('fs', 'unshare', 0x200),
      call('inet', 'socket', 2, 1, 0),
    ]);
    for (const l of ['query', 'linux', 'fs', 'inet']) assert.equal(got.get(l), 'ok', `${l}: ${got.get(l)}`);
    const script =
      'mkdir -p /tmp/www && echo hello > /tmp/www/f && httpd -p 127.0.0.1:8080 -h /tmp/www && ' +
      'wget -q -O - http://127.0.0.1:8080/f && /probe thread && ls / | grep -c probe && id -u';
    const r = await run(['/bin/sh', '-c', script], { user: '1000' });
    assert.equal(r.state.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^hello\nthread ok\n1\n1000\n$/);
  });

  await t.test('attack seccomp-08: unconfined and privileged drop the filter; a profile file is obeyed', async () => {
    const free = await probe([call('personality', 'personality', 0x0040000)], { seccomp: 'unconfined' });
    assert.equal(free.get('personality'), 'ok');
    const priv = await f.run(['/bin/grep', 'Seccomp:', '/proc/self/status'], { rootfs, privileged: true });
    assert.match(priv.stdout, /Seccomp:\t0/);
    const profile = JSON.stringify({
      defaultAction: 'SCMP_ACT_ALLOW',
      syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 }],
    });
    const script = 'mkdir /x || echo REFUSED; grep Seccomp: /proc/self/status';
    const r = await run(['/bin/sh', '-c', script], { seccomp: { profile, source: 'test.json' } });
    assert.match(r.stdout, /^REFUSED\nSeccomp:\t2$/m);
    assert.match(r.stderr, /Permission denied/);
  });
});
