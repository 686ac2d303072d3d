// A container is its own world: its program is PID 1, it sees only its own processes, mounts
// and hostname, the host root is gone, and it holds exactly Docker's default privileges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { fixture } from '../../helpers/rootfs-runtime.ts';

test('isolation', async (t) => {
  const f = fixture(t, 'iso');

  await t.test('the program is PID 1 and ps shows only the container', async () => {
    const r = await f.run(['/bin/sh', '-c', 'echo pid=$$; ps -o pid,comm; true']);
    assert.equal(r.state.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^pid=1$/m);
    const rows = r.stdout
      .split('\n')
      .slice(2)
      .filter((l) => l.trim());
    assert.deepEqual(
      rows.map((l) => l.trim().split(/\s+/)[1]),
      ['sh', 'ps'],
    );
  });

  await t.test("hostname is the container's own", async () => {
    const r = await f.run(['/bin/hostname'], { hostname: 'box-iso' });
    assert.equal(r.stdout.trim(), 'box-iso');
    assert.notEqual(hostname(), 'box-iso');
    const h = await f.run(['/bin/cat', '/etc/hostname', '/etc/hosts'], { hostname: 'box-iso' });
    assert.match(h.stdout, /^box-iso$/m);
    assert.match(h.stdout, /127\.0\.0\.1\tlocalhost/);
  });

  await t.test('the old root is detached: no host mounts, no host paths', async () => {
    const r = await f.run([
      '/bin/sh',
      '-c',
      `cat /proc/self/mountinfo; ls ${f.root} && echo HOST-VISIBLE; ls /proc/1/root/${f.root.slice(1)} && echo HOST-VISIBLE2; true`,
    ]);
    assert.doesNotMatch(r.stdout, /HOST-VISIBLE/);
    const mountpoints = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ')[4]);
    assert.equal(mountpoints[0], '/');
    for (const m of mountpoints)
      assert.ok(!m!.startsWith('/work') && !m!.startsWith(f.root), `host mount ${m} visible`);
    // exactly the ones the runtime made: rootfs, /dev (+4), /sys, /proc, 3 /etc files, masks, ro paths
    assert.ok(mountpoints.length < 30, `${mountpoints.length} mounts`);
  });

  await t.test("root gets Docker's 14 capabilities, no more", async () => {
    const r = await f.run(['/bin/grep', 'Cap', '/proc/self/status']);
    for (const k of ['CapEff', 'CapPrm', 'CapBnd']) assert.match(r.stdout, new RegExp(`${k}:\\t00000000a80425fb`));
    assert.match(r.stdout, /CapInh:\t0{16}/);
    assert.match(r.stdout, /CapAmb:\t0{16}/);
  });

  await t.test('cap_add / cap_drop adjust the set', async () => {
    const r = await f.run(['/bin/grep', 'CapEff', '/proc/self/status'], {
      process: {
        args: ['/bin/grep', 'CapEff', '/proc/self/status'],
        env: [],
        cwd: '/',
        capAdd: ['NET_ADMIN'],
        capDrop: ['CAP_CHOWN', 'MKNOD'],
      },
    });
    // a80425fb + NET_ADMIN(12) - CHOWN(0) - MKNOD(27)
    assert.match(r.stdout, /CapEff:\t00000000a00435fa/);
  });

  await t.test('a user by name gets its uid, gid, groups and no capabilities', async () => {
    const r = await f.run([], {
      process: {
        args: ['/bin/sh', '-c', 'id; grep -E "CapEff|CapBnd" /proc/self/status'],
        env: ['PATH=/bin'],
        cwd: '/',
        user: 'user',
      },
    });
    assert.match(r.stdout, /uid=1000\(user\) gid=1000\(user\) groups=1000\(user\),2000\(extra\)/);
    assert.match(r.stdout, /CapEff:\t0{16}/);
    assert.match(r.stdout, /CapBnd:\t00000000a80425fb/);
  });

  await t.test('uid:gid numbers work without passwd entries', async () => {
    const r = await f.run([], { process: { args: ['/bin/id'], env: [], cwd: '/', user: '4321:4322' } });
    assert.match(r.stdout, /uid=4321 gid=4322/);
  });

  await t.test('environment is exactly what was given; the working dir is created', async () => {
    const r = await f.run([], {
      process: { args: ['/bin/sh', '-c', 'env; pwd'], env: ['PATH=/bin', 'A=1 2'], cwd: '/made/here' },
    });
    const lines = r.stdout.trim().split('\n');
    // sh itself exports PWD (and SHLVL in busybox); nothing else may come from the setup.
    const env = lines
      .slice(0, -1)
      .filter((l) => !/^(PWD|SHLVL)=/.test(l))
      .sort();
    assert.deepEqual(env, ['A=1 2', 'PATH=/bin']);
    assert.equal(lines.at(-1), '/made/here');
  });

  await t.test('the program starts with default signal dispositions and an empty mask', async () => {
    const r = await f.run(['/bin/grep', '-E', '^Sig(Ign|Blk)', '/proc/self/status']);
    assert.equal(r.stdout, 'SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n');
    const init = await f.run(['/bin/grep', '-E', '^Sig(Ign|Blk)', '/proc/self/status'], { init: true });
    assert.equal(init.stdout, 'SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n');
  });

  await t.test('no host descriptor leaks in: PID 1 (and the init) hold only stdio (CVE-2024-21626)', async () => {
    const r = await f.run(['/bin/sh', '-c', 'ls /proc/1/fd; true']);
    assert.equal(r.stdout, '0\n1\n2\n');
    const init = await f.run(['/bin/sh', '-c', 'ls /proc/1/fd /proc/$$/fd; true'], { init: true });
    assert.equal(init.stdout, `/proc/1/fd:\n0\n1\n2\n\n/proc/2/fd:\n0\n1\n2\n`);
  });

  await t.test('a missing program exits 127 like Docker', async () => {
    const id = f.id('missing');
    await f.rt.create(id, f.spec(['/nope']));
    await assert.rejects(f.rt.start(id), /exec \/nope: No such file or directory/);
    assert.equal(f.rt.state(id).exitCode, 127);
  });
});
