// The start plan TypeScript writes for the shim: overlay options, mount order, masks, caps,
// user resolution and rlimit clamping, all pure.
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { kernelHasVolatile, overlayMount } from '../../../src/runtime/rootfs/overlay.ts';
import { mountOps, afterPivotOps } from '../../../src/runtime/rootfs/mount-plan.ts';
import { MOUNT_ATTR, MS } from '../../../src/runtime/rootfs/flags.ts';
import { capabilityMask, capabilityNames, heldCapabilities } from '../../../src/runtime/process/caps.ts';
import { resolveUser } from '../../../src/runtime/process/user.ts';
import { hardLimits, rlimitOps } from '../../../src/runtime/process/rlimits.ts';
import { privilegeOps, serializePlan } from '../../../src/runtime/process/privilege-ops.ts';
import { hostsFile, resolvConf } from '../../../src/runtime/rootfs/etc-files.ts';
import type { ContainerSpec } from '../../../src/runtime/spec.ts';

test("overlay: lowerdirs are relative to the layers' parent, top first", () => {
  const o = overlayMount(['/s/l/aaa', '/s/l/bbb'], '/c/up', '/c/work');
  assert.deepEqual(o, { cwd: '/s/l', data: 'lowerdir=bbb:aaa,upperdir=/c/up,workdir=/c/work', links: [] });
});

test('overlay: volatile only when asked and on a kernel that knows it (5.10+), in both option forms', () => {
  assert.doesNotMatch(overlayMount(['/s/l/a'], '/c/up', '/c/work').data, /volatile/);
  const on = kernelHasVolatile();
  assert.equal(overlayMount(['/s/l/a'], '/c/up', '/c/work', undefined, true).data.endsWith(',volatile'), on);
  const many = Array.from({ length: 200 }, (_, i) => `/very/long/store/path/layers/${'x'.repeat(40)}${i}/diff`);
  assert.equal(
    overlayMount(many, '/u', '/w', '/c/l', true).data.endsWith('workdir=/w' + (on ? ',volatile' : '')),
    true,
  );
  assert.equal(kernelHasVolatile('5.4.0-150-generic'), false);
  assert.equal(kernelHasVolatile('5.10.0-28-amd64'), true);
  assert.equal(kernelHasVolatile('6.18.44-fc-v1272'), true);
  assert.equal(kernelHasVolatile('4.19.0'), false);
});

test('overlay: a layer dir listed twice (an image with the same empty layer twice) is mounted once, at its highest place', () => {
  const o = overlayMount(['/s/l/e', '/s/l/aaa', '/s/l/e', '/s/l/bbb'], '/c/up', '/c/work');
  assert.equal(o.data, 'lowerdir=bbb:e:aaa,upperdir=/c/up,workdir=/c/work');
});

test('overlay: 120 layers with long absolute paths fit thanks to relative names; too many fail clearly', () => {
  const layers = Array.from(
    { length: 120 },
    (_, i) => `/var/lib/gantry/images/layers/sha256-${'0'.repeat(40)}/${i.toString(16).padStart(12, '0')}`,
  );
  assert.ok(layers.join(':').length > 4096);
  assert.ok(overlayMount(layers, '/u', '/w').data.length < 4096);
  const many = Array.from({ length: 400 }, (_, i) => `/l/${i.toString(16).padStart(12, '0')}`);
  assert.throws(() => overlayMount(many, '/u', '/w'), /limit 4095/);
  const linked = overlayMount(many, '/u', '/w', '/c/l');
  assert.equal(linked.cwd, '/c/l');
  assert.ok(linked.data.startsWith('lowerdir=b3:b2:') && linked.data.length < 4096);
  assert.deepEqual(linked.links[0], ['/c/l/0', many[0]]);
  assert.throws(
    () =>
      overlayMount(
        Array.from({ length: 501 }, (_, i) => `/l/${i}`),
        '/u',
        '/w',
        '/c/l',
      ),
    /at most 500/,
  );
});

const spec: ContainerSpec = {
  rootfs: { layers: ['/l/a'], readOnly: true },
  process: { args: ['/bin/sh'], env: ['A=1'], cwd: '/app' },
  mounts: [
    { type: 'bind', source: '/data', target: '/mnt', readOnly: true },
    { type: 'tmpfs', target: '/t', size: 1024, mode: 0o1777 },
  ],
  sysctls: { 'net.ipv4.ip_forward': '1' },
};
const paths = {
  merged: '/c/m',
  upper: '/c/u',
  work: '/c/w',
  etc: { hosts: '/c/hosts', hostname: '/c/hostname', resolv: '/c/resolv.conf' },
};

test('mount plan: private root, overlay, /dev, /sys ro, /proc, volumes, /etc files, sysctls before masks and ro paths', () => {
  const kinds: Record<string, 'dir' | 'file'> = { '/proc/kcore': 'file', '/sys/firmware': 'dir', '/proc/sys': 'dir' };
  const ops = mountOps(spec, paths, { kind: (p) => kinds[p], nodev: false });
  const targets = ops.filter((o) => o[0] === 'mount' || o[0] === 'omount').map((o) => o[2]);
  assert.deepEqual(targets.slice(0, 3), ['/', '/c/m', '@/dev']);
  assert.ok(ops.findIndex((o) => o[0] === 'root') < ops.findIndex((o) => o[2] === '@/dev'));
  assert.deepEqual(ops[0], ['mount', '', '/', '', String(MS.REC | MS.PRIVATE), '']);
  assert.ok(targets.indexOf('@/sys') < targets.indexOf('@/mnt'));
  // read-only on every mount of the bind's tree (mount_setattr AT_RECURSIVE), then rprivate
  assert.deepEqual(
    ops.find((o) => o[0] === 'mountattr' && o[1] === '@/mnt'),
    ['mountattr', '@/mnt', String(MOUNT_ATTR.RDONLY), '0', '1'],
  );
  assert.ok(ops.some((o) => o[2] === '@/mnt' && o[4] === String(MS.PRIVATE | MS.REC)));
  assert.ok(ops.some((o) => o[2] === '@/t' && o[5] === 'size=1024,mode=1777'));
  const sysctl = ops.findIndex((o) => o[0] === 'write');
  assert.deepEqual(ops[sysctl], ['write', '@/proc/sys/net/ipv4/ip_forward', '1']);
  const procSysRo = ops.findIndex((o) => o[2] === '@/proc/sys' && Number(o[4]) & MS.REMOUNT);
  assert.ok(sysctl < procSysRo);
  assert.equal(
    Number(ops[procSysRo]![4]) & (MS.NOSUID | MS.NODEV | MS.NOEXEC | MS.RDONLY),
    MS.NOSUID | MS.NODEV | MS.NOEXEC | MS.RDONLY,
  );
  assert.ok(ops.some((o) => o[0] === 'omount' && o[1] === '@/dev/null' && o[2] === '@/proc/kcore'));
  assert.ok(ops.some((o) => o[0] === 'omount' && o[1] === 'tmpfs' && o[2] === '@/sys/firmware'));
  assert.ok(!targets.includes('@/proc/keys'), 'paths missing on the host are skipped');
  const v2 = mountOps(spec, paths, {
    kind: () => undefined,
    nodev: true,
    cgroupViews: [{ name: '', dir: '/sys/fs/cgroup/gantry/c' }],
  });
  assert.ok(
    v2.some((o) => o[1] === '/sys/fs/cgroup/gantry/c' && o[2] === '@/sys/fs/cgroup' && Number(o[4]) & MS.RDONLY),
  );
  assert.ok(Number(v2.find((o) => o[3] === 'overlay')![4]) & MS.NODEV, 'v2: rootfs is nodev');
  assert.deepEqual(afterPivotOps(spec, false), [
    ['mkdir', '/app', '755'],
    ['mount', '/', '/', '', String(MS.BIND | MS.REMOUNT | MS.RDONLY), ''],
  ]);
});

test('capabilities: Docker defaults, add, drop, ALL', () => {
  assert.equal(capabilityMask().toString(16), 'a80425fb');
  assert.equal(capabilityMask(['NET_ADMIN'], ['chown']).toString(16), 'a80435fa');
  assert.equal(capabilityMask([], ['ALL']), 0n);
  assert.deepEqual(capabilityNames(capabilityMask(['CAP_KILL'], ['ALL'])), ['CAP_KILL']);
  assert.throws(() => capabilityMask(['NOPE']), /unknown capability NOPE/);
  // ALL is what we hold ourselves: capset refuses any capability outside our bounding set.
  const own = BigInt(`0x${/^CapBnd:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]}`);
  const all = capabilityMask(['ALL'], [], undefined, heldCapabilities());
  assert.equal(all & ~own, 0n);
  assert.ok((all & capabilityMask()) === capabilityMask() && all > capabilityMask(), 'ALL holds the defaults and more');
});

test('capabilities: only what gantry holds; ALL means all of those, a withheld one named is refused', () => {
  const held = capabilityMask(['ALL']) & ~capabilityMask(['SYS_RESOURCE'], ['ALL']);
  assert.equal(capabilityMask(['ALL'], [], undefined, held), held);
  assert.equal(capabilityMask([], [], undefined, held), capabilityMask());
  assert.throws(
    () => capabilityMask(['SYS_RESOURCE'], [], undefined, held),
    /cannot add capability SYS_RESOURCE: gantry itself does not hold it/,
  );
});

test('mount plan, privileged: /sys writable, no masked or read-only paths (unless given)', () => {
  const kinds: Record<string, 'dir' | 'file'> = { '/proc/keys': 'file', '/sys/firmware': 'dir', '/proc/sys': 'dir' };
  const priv = mountOps({ ...spec, privileged: true }, paths, { kind: (p) => kinds[p], nodev: false });
  assert.equal(Number(priv.find((o) => o[3] === 'sysfs')![4]) & MS.RDONLY, 0);
  assert.deepEqual(
    priv.filter((o) => o[0] === 'omount'),
    [],
  );
  const plain = mountOps(spec, paths, { kind: (p) => kinds[p], nodev: false });
  assert.ok(Number(plain.find((o) => o[3] === 'sysfs')![4]) & MS.RDONLY);
  assert.equal(plain.filter((o) => o[0] === 'omount').length, 4, 'keys, firmware, /proc/sys twice');
  const given = mountOps({ ...spec, privileged: true, maskedPaths: ['/proc/keys'] }, paths, {
    kind: (p) => kinds[p],
    nodev: false,
  });
  assert.deepEqual(
    given.filter((o) => o[0] === 'omount').map((o) => o[2]),
    ['@/proc/keys'],
  );
});

const PASSWD = 'root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n';
const GROUP = 'root:x:0:\napp:x:1001:\nwheel:x:10:app,other\nvideo:x:44:\n';

test("user: names and numbers, from the container's own files", () => {
  assert.deepEqual(resolveUser('app', PASSWD, GROUP), { uid: 1000, gid: 1001, groups: [1001, 10], home: '/home/app' });
  assert.deepEqual(resolveUser('1000:video', PASSWD, GROUP), {
    uid: 1000,
    gid: 44,
    groups: [44, 10],
    home: '/home/app',
  });
  assert.deepEqual(resolveUser('5000', PASSWD, GROUP), { uid: 5000, gid: 0, groups: [0], home: '/' });
  assert.deepEqual(resolveUser(undefined, PASSWD, GROUP, ['video']), {
    uid: 0,
    gid: 0,
    groups: [0, 44],
    home: '/root',
  });
  assert.throws(() => resolveUser('ghost', PASSWD, GROUP), /unable to find user ghost/);
  assert.throws(() => resolveUser('app:ghosts', PASSWD, GROUP), /unable to find group ghosts/);
});

test('user: ids out of range and malformed passwd/group lines never mean root', () => {
  assert.throws(() => resolveUser('4294967296', PASSWD, GROUP), /0\.\.4294967294/);
  assert.throws(() => resolveUser('4294967295', PASSWD, GROUP), /0\.\.4294967294/);
  assert.throws(() => resolveUser('1000:99999999999', PASSWD, GROUP), /0\.\.4294967294/);
  assert.equal(resolveUser('4294967294', PASSWD, GROUP).uid, 4294967294);
  // uid `abc`, an empty uid, a missing gid: the line is skipped, so the name does not resolve
  for (const bad of ['evil:x:abc:0::/:/bin/sh', 'evil:x::0::/:/bin/sh', 'evil:x:1000', 'evil:x:1000:-1::/:/bin/sh']) {
    assert.throws(() => resolveUser('evil', `${PASSWD}${bad}\n`, GROUP), /unable to find user evil/, bad);
  }
  assert.throws(() => resolveUser('app:evil', PASSWD, `${GROUP}evil:x:abc:\n`), /unable to find group evil/);
  assert.deepEqual(
    resolveUser('app', PASSWD, `${GROUP}bad:x::app\n`).groups,
    [1001, 10],
    'a member line with no gid adds no group 0',
  );
  for (const spec of ['', ':', 'a:b:c', 'app:'])
    assert.throws(() => resolveUser(spec, PASSWD, GROUP), /expected uid/, spec);
});

test('rlimits are clamped to our hard limit', () => {
  const hard = hardLimits(
    'Limit                     Soft Limit           Hard Limit           Units     \nMax open files            1024                 20000                files     \nMax processes             unlimited            unlimited            processes \n',
  );
  assert.deepEqual(
    rlimitOps(
      [
        { type: 'nofile', soft: 65536, hard: 65536 },
        { type: 'nproc', soft: 10, hard: 20 },
      ],
      hard,
    ),
    [
      ['rlimit', '7', '20000', '20000'],
      ['rlimit', '6', '10', '20'],
    ],
  );
  assert.throws(() => rlimitOps([{ type: 'bogus', soft: 1, hard: 1 }], hard), /unknown ulimit bogus/);
});

test('privilege ops order: bounding before the uid switch, caps after, exec last; plan is length-prefixed', () => {
  const ops = privilegeOps(
    { args: ['/x', 'a b'], env: ['K=V'], cwd: '/w', noNewPrivileges: true },
    { uid: 1, gid: 2, groups: [2, 3], home: '/' },
    [],
  );
  assert.deepEqual(
    ops.map((o) => o[0]),
    ['bounding', 'seccomp', 'user', 'caps', 'nnp', 'chdir', 'args', 'env', 'exec'],
  );
  assert.deepEqual(ops[2], ['user', '4', '1', '2', '2', '3']);
  assert.throws(
    () => privilegeOps({ args: ['a\0b'], env: [], cwd: '/' }, { uid: 0, gid: 0, groups: [], home: '/' }, []),
    /NUL/,
  );
  assert.equal(serializePlan([['log', '/l']], [['exec']]), '3:log,2:/l,5:begin,4:exec,');
});

test('seccomp op: a count and a hex program, installed while still privileged; none when unconfined', () => {
  const ops = privilegeOps({ args: ['/x'], env: [], cwd: '/' }, { uid: 1, gid: 1, groups: [], home: '/' }, []);
  const op = ops.find((o) => o[0] === 'seccomp')!;
  assert.equal(op.length, 3);
  assert.match(op[2]!, /^[0-9a-f]+$/);
  assert.equal(op[2]!.length, 16 * Number(op[1]));
  assert.ok(
    ops.findIndex((o) => o[0] === 'seccomp') < ops.findIndex((o) => o[0] === 'user'),
    'installed while still privileged',
  );
  const none = privilegeOps(
    { args: ['/x'], env: [], cwd: '/', seccomp: 'unconfined' },
    { uid: 1, gid: 1, groups: [], home: '/' },
    [],
  );
  assert.ok(!none.some((o) => o[0] === 'seccomp'));
});

test('/etc files: hosts with the hostname, resolv.conf without loopback resolvers', () => {
  assert.match(
    hostsFile('web', ['10.0.0.2\tdb']),
    /^127\.0\.0\.1\tlocalhost\n.*\n127\.0\.1\.1\tweb\n10\.0\.0\.2\tdb\n$/s,
  );
  assert.equal(resolvConf('nameserver 127.0.0.53\nnameserver 10.1.1.1\nsearch x\n'), 'nameserver 10.1.1.1\nsearch x\n');
  assert.equal(resolvConf('', { nameservers: ['1.2.3.4'], search: ['a.b'] }), 'search a.b\nnameserver 1.2.3.4\n');
});

test("/etc files: the hostname on the container's own address; Docker's embedded-DNS resolv.conf", () => {
  const hosts = hostsFile('web', [], '10.0.0.5');
  assert.match(hosts, /^10\.0\.0\.5\tweb$/m);
  assert.doesNotMatch(hosts, /127\.0\.1\.1/);
  assert.throws(() => hostsFile('web', [], '10.0.0.5\n6.6.6.6 bank'), /host address:/);
  const host = 'nameserver 127.0.0.53\nsearch corp.example\noptions edns0 trust-ad\n';
  assert.equal(
    resolvConf(host, undefined, true),
    'nameserver 127.0.0.11\nsearch corp.example\noptions edns0 trust-ad ndots:0\n',
  );
  assert.equal(
    resolvConf(host, { nameservers: ['1.1.1.1'], search: ['a.b'], options: ['ndots:2'] }, true),
    'nameserver 127.0.0.11\nsearch a.b\noptions ndots:2\n',
  );
});
