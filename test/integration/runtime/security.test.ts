// What a container's root may not do: mount, load modules, write /proc/sys; what it may not
// see: masked paths; and a read_only rootfs stays unwritten.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fixture } from '../../helpers/rootfs-runtime.ts';

test('security', async (t) => {
  const f = fixture(t, 'sec');

  await t.test('mounting fails', async () => {
    const r = await f.run([
      '/bin/sh',
      '-c',
      'mount -t tmpfs none /tmp && echo MOUNTED; mount --bind /bin /tmp && echo BOUND; true',
    ]);
    assert.doesNotMatch(r.stdout, /MOUNTED|BOUND/);
    assert.match(r.stderr, /Operation not permitted|permission denied/i);
  });

  await t.test('loading a module fails and CAP_SYS_MODULE is not even bounded', async () => {
    const r = await f.run([
      '/bin/sh',
      '-c',
      'echo x > /tmp/m.ko; insmod /tmp/m.ko && echo LOADED; grep CapBnd /proc/self/status',
    ]);
    assert.doesNotMatch(r.stdout, /LOADED/);
    const bnd = BigInt(`0x${/CapBnd:\t([0-9a-f]+)/.exec(r.stdout)![1]}`);
    assert.equal(bnd & (1n << 16n), 0n); // CAP_SYS_MODULE
    assert.equal(bnd & (1n << 21n), 0n); // CAP_SYS_ADMIN
  });

  await t.test('/proc/sys and sysfs are read-only', async () => {
    const r = await f.run([
      '/bin/sh',
      '-c',
      'echo 1 > /proc/sys/kernel/domainname && echo W1; echo 1 > /proc/sys/net/ipv4/ip_forward && echo W2; touch /sys/x && echo W3; true',
    ]);
    assert.doesNotMatch(r.stdout, /W1|W2|W3/);
    assert.match(r.stderr, /Read-only file system/);
  });

  await t.test('device nodes: mknod is allowed (Docker), opening a host disk is not', async () => {
    const [major, minor] = readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .find((l) => l.split(' ')[4] === '/')!
      .split(' ')[2]!
      .split(':');
    const r = await f.run([
      '/bin/sh',
      '-c',
      `mknod /tmp/disk b ${major} ${minor} && echo made; head -c 16 /tmp/disk >/dev/null && echo READ; echo x > /dev/null && echo null-ok`,
    ]);
    assert.match(r.stdout, /^made$/m);
    assert.doesNotMatch(r.stdout, /READ/);
    assert.match(r.stderr, /Operation not permitted/);
    assert.match(r.stdout, /^null-ok$/m);
  });

  await t.test('masked paths read empty', async () => {
    const masked = ['/proc/interrupts', '/proc/timer_list', '/proc/keys', '/proc/sched_debug', '/proc/kcore'].filter(
      existsSync,
    );
    const dirs = ['/proc/acpi', '/sys/firmware', '/proc/scsi'].filter(
      (d) => existsSync(d) && readdirSync(d).length > 0,
    );
    assert.ok(masked.length > 0 && dirs.length > 0, 'host has masked paths to test');
    const script = [
      ...masked.map((m) => `echo "${m}=$(wc -c < ${m})"`),
      ...dirs.map((d) => `echo "${d}=$(ls ${d} | wc -l)"`),
    ].join('; ');
    const r = await f.run(['/bin/sh', '-c', script]);
    for (const p of [...masked, ...dirs]) assert.match(r.stdout, new RegExp(`^${p}=0$`, 'm'));
  });

  await t.test('a read-only rootfs cannot be written, its /etc files and tmpfs still can', async () => {
    const r = await f.run(
      [
        '/bin/sh',
        '-c',
        'touch /x && echo WROTE; echo 1 > /etc/passwd && echo WROTE2; echo ok > /scratch/f && cat /scratch/f',
      ],
      {
        rootfs: { layers: [f.spec([]).rootfs.layers[0]!], readOnly: true },
        mounts: [{ type: 'tmpfs', target: '/scratch', size: 1 << 20 }],
      },
    );
    assert.doesNotMatch(r.stdout, /WROTE/);
    assert.match(r.stderr, /Read-only file system/);
    assert.match(r.stdout, /^ok$/m);
  });

  await t.test('seccomp: new user namespaces and namespace unshare are refused; unconfined lifts it', async () => {
    const script =
      'grep Seccomp: /proc/self/status; unshare -U true && echo USERNS; unshare -m true && echo MNTNS; true';
    const r = await f.run([], {
      process: { args: ['/bin/sh', '-c', script], env: ['PATH=/bin'], cwd: '/', user: 'user' },
    });
    assert.match(r.stdout, /^Seccomp:\t2$/m);
    assert.doesNotMatch(r.stdout, /USERNS|MNTNS/);
    assert.match(r.stderr, /unshare\(0x10000000\): Operation not permitted/);
    const open = await f.run([], {
      process: { args: ['/bin/sh', '-c', script], env: ['PATH=/bin'], cwd: '/', user: 'user', seccomp: 'unconfined' },
    });
    assert.match(open.stdout, /^Seccomp:\t0$/m);
    assert.match(open.stdout, /^USERNS$/m, 'without the filter an unprivileged user namespace works on this kernel');
  });

  await t.test('no_new_privs is set when asked, not by default (Docker)', async () => {
    const def = await f.run(['/bin/grep', 'NoNewPrivs', '/proc/self/status']);
    assert.match(def.stdout, /NoNewPrivs:\t0/);
    const on = await f.run([], {
      process: { args: ['/bin/grep', 'NoNewPrivs', '/proc/self/status'], env: [], cwd: '/', noNewPrivileges: true },
    });
    assert.match(on.stdout, /NoNewPrivs:\t1/);
  });

  await t.test('bind mounts: read-write and read-only', async () => {
    const r = await f.run(['/bin/sh', '-c', 'echo hi > /rw/f && cat /rw/f; echo x > /ro/g && echo WROTE; true'], {
      mounts: [
        { type: 'bind', source: f.root, target: '/rw' },
        { type: 'bind', source: f.root, target: '/ro', readOnly: true },
      ],
    });
    assert.match(r.stdout, /^hi$/m);
    assert.doesNotMatch(r.stdout, /WROTE/);
    assert.ok(existsSync(`${f.root}/f`));
  });

  await t.test('image symlinks cannot redirect mount points onto the host; layers stack lowest first', async (tt) => {
    const host = mkdtempSync(join(tmpdir(), `gantry-evil-host-${process.pid}-`));
    const layer = mkdtempSync(join(tmpdir(), `gantry-evil-layer-${process.pid}-`));
    tt.after(() => {
      rmSync(host, { recursive: true, force: true });
      rmSync(layer, { recursive: true, force: true });
    });
    symlinkSync(host, join(layer, 'evil')); // absolute: would point at the host dir if followed from outside
    mkdirSync(join(layer, 'etc'));
    writeFileSync(join(layer, 'etc', 'motd'), 'top layer\n');
    symlinkSync(join(host, 'resolv.conf'), join(layer, 'etc', 'resolv.conf')); // dangling, as Ubuntu's
    const r = await f.run(
      [
        '/bin/sh',
        '-c',
        'cat /etc/motd; ls /evil/; test -f /etc/passwd && echo lower-visible; grep -c . /etc/resolv.conf >/dev/null; echo resolv-ok',
      ],
      {
        rootfs: { layers: [f.spec([]).rootfs.layers[0]!, layer], readOnly: false },
        mounts: [
          { type: 'tmpfs', target: '/evil/sub' },
          { type: 'bind', source: host, target: '/evil/bound' },
        ],
      },
    );
    assert.equal(r.state.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^top layer$/m);
    assert.match(r.stdout, /^lower-visible$/m);
    assert.match(r.stdout, /^resolv-ok$/m);
    assert.deepEqual(readdirSync(host), [], 'nothing was created in the host directory');
  });

  await t.test('bind mounts are recursive unless asked otherwise', async (tt) => {
    const src = mkdtempSync(join(tmpdir(), `gantry-rbind-${process.pid}-`));
    mkdirSync(join(src, 'sub'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', `gantry-t-${process.pid}`, join(src, 'sub')]);
    tt.after(() => {
      execFileSync('umount', [join(src, 'sub')]);
      rmSync(src, { recursive: true, force: true });
    });
    writeFileSync(join(src, 'sub', 'in-submount'), '');
    const r = await f.run(['/bin/sh', '-c', 'ls /r/sub; echo --; ls /nr/sub'], {
      mounts: [
        { type: 'bind', source: src, target: '/r' },
        { type: 'bind', source: src, target: '/nr', recursive: false },
      ],
    });
    assert.equal(r.stdout, 'in-submount\n--\n');
  });
});
