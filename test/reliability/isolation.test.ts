// A container cannot get out, checked through the CLI as a user runs it (`container run`, `up`):
// it sees only its own processes and mounts, cannot mount, load modules, touch the host's network
// or write to /sys and /proc/sys, the masked paths are empty, it holds exactly Docker's default
// capabilities (cap_add/cap_drop/privileged change that), read_only holds, a port published on
// 127.0.0.1 answers nowhere else, and `image load` refuses a layer that climbs out with "..".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { e2eRoot, type E2eRoot } from '../helpers/engine-e2e.ts';
import { makeTestAddress } from '../helpers/test-address.ts';
import { buildTar } from '../helpers/tar-build.ts';

const IMG = 'gantry-test/busybox:latest';

// Capability numbers from the kernel's own header (linux-libc-dev, which libc6-dev pulls in),
// not from gantry's table: a wrong table there must not also decode these results.
const CAP_BITS: readonly string[] = (() => {
  const bits: string[] = [];
  for (const m of readFileSync('/usr/include/linux/capability.h', 'utf8').matchAll(
    /^#define CAP_([A-Z_]+)\s+(\d+)\s*$/gm,
  ))
    if (m[1] !== 'LAST_CAP') bits[Number(m[2])] = m[1]!;
  return bits;
})();
// What `docker run` grants by default (moby's default capability list).
const DOCKER_DEFAULT = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'NET_RAW',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];
// Docker's masked paths: each must read as empty inside (a /dev/null bind, an empty read-only tmpfs, or absent).
const MASKED = [
  '/proc/acpi',
  '/proc/asound',
  '/proc/interrupts',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/sys/devices/virtual/powercap',
  '/sys/firmware',
];

/** "CapEff: 00000000a80425fb" → sorted names; one table, independent of gantry's own. */
function capsOf(status: string, field: 'CapEff' | 'CapBnd' | 'CapPrm'): string[] {
  const hex = new RegExp(`^${field}:\\s*([0-9a-f]+)$`, 'm').exec(status)?.[1];
  assert.ok(hex, `${field} in ${status}`);
  const mask = BigInt(`0x${hex}`);
  return CAP_BITS.filter((_, i) => (mask >> BigInt(i)) & 1n).sort();
}

const sorted = (xs: readonly string[]): string[] => [...xs].sort();
const hostCapBnd = (): string[] => capsOf(readFileSync('/proc/self/status', 'utf8'), 'CapBnd');

async function run(e: E2eRoot, args: readonly string[], script: string) {
  return e.gantry(['container', 'run', '--rm', ...args, IMG, 'sh', '-c', script]);
}

test('container run: processes, mounts, privileges, masks and the host network stay out of reach', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));

  await t.test('only its own processes; the test process is not in its /proc', async () => {
    const r = await run(e, [], `ps -o pid,comm; echo PIDS; exec ls /proc`);
    assert.equal(r.exitCode, 0, r.stderr);
    const [ps = '', procs = ''] = r.stdout.split('PIDS\n');
    assert.deepEqual(
      ps
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.trim().split(/\s+/)[1]),
      ['sh', 'ps'],
    );
    assert.deepEqual(
      procs.split('\n').filter((n) => /^\d+$/.test(n)),
      ['1'],
      'ls is PID 1 and alone',
    );
    const mine = await run(
      e,
      [],
      `test -e /proc/${process.pid} && echo SEEN; ls /proc/${process.pid}/root/ 2>&1; true`,
    );
    assert.doesNotMatch(mine.stdout, /SEEN|etc|work/);
  });

  await t.test('no host mount, no old root, no host path', async () => {
    const r = await run(
      e,
      [],
      `cat /proc/self/mountinfo; echo END; ls -a /; test -e ${e.root} && echo ROOT-VISIBLE; test -e /work && echo WORK-VISIBLE; true`,
    );
    assert.equal(r.exitCode, 0, r.stderr);
    const [info = '', rest = ''] = r.stdout.split('END\n');
    const points = info
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[4]!);
    const own =
      /^(\/|\/dev(\/(pts|shm|mqueue))?|\/sys(\/fs\/cgroup(\/[\w,]+)?|\/firmware|\/devices\/virtual\/powercap)?|\/proc(\/[\w-]+)?|\/etc\/(hosts|hostname|resolv\.conf))$/;
    assert.deepEqual(
      points.filter((p) => !own.test(p)),
      [],
      "only the container's own mount points",
    );
    const hostPoints = readFileSync('/proc/self/mountinfo', 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[4]!);
    const leaked = hostPoints.filter((p) => p !== '/' && !own.test(p) && points.includes(p));
    assert.deepEqual(leaked, []);
    assert.doesNotMatch(info, /old_root|pivot/);
    assert.doesNotMatch(rest, /old_root|ROOT-VISIBLE|WORK-VISIBLE/);
  });

  await t.test('cannot mount, cannot load a module, /proc/sys and /sys are read-only', async () => {
    const sameValue = (f: string) => `v=$(cat ${f}); echo "$v" > ${f} && echo WROTE-${f}`;
    const r = await run(
      e,
      [],
      [
        'mount -t tmpfs none /tmp && echo MOUNTED',
        'insmod /bin/busybox; echo insmod=$?',
        sameValue('/proc/sys/kernel/modprobe'),
        sameValue('/proc/sys/kernel/printk_ratelimit'),
        sameValue('/sys/class/net/lo/mtu'),
        'echo h > /proc/sysrq-trigger && echo WROTE-sysrq',
        'touch /sys/gantry-x /proc/gantry-x && echo WROTE-new',
        'true',
      ].join('; '),
    );
    assert.doesNotMatch(r.stdout, /MOUNTED|WROTE/, r.stderr);
    assert.match(r.stdout, /insmod=[1-9]/);
    assert.match(
      r.stderr,
      /insmod: .*(not permitted|permission)/i,
      'refused for want of CAP_SYS_MODULE, not for the file',
    );
    assert.match(r.stderr, /Read-only file system/);
  });

  await t.test('a device node it makes for the host disk or memory cannot be opened', async () => {
    const rootDev = readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .find((l) => l.split(' ')[4] === '/')!
      .split(' ')[2]!;
    const nodes: [string, string][] = [
      ['mem', 'c 1 1'],
      ['kmsg', 'c 1 11'],
    ];
    if (!rootDev.startsWith('0:')) nodes.push(['disk', `b ${rootDev.replace(':', ' ')}`]);
    const r = await run(
      e,
      [],
      nodes
        .map(([n, mm]) => `mknod /tmp/${n} ${mm} 2>/dev/null; echo "${n} $(head -c 16 /tmp/${n} 2>/dev/null | wc -c)"`)
        .join('; '),
    );
    assert.equal(r.exitCode, 0, r.stderr);
    for (const [n] of nodes) assert.match(r.stdout, new RegExp(`^${n} 0$`, 'm'), `${n}: nothing read`);
  });

  await t.test('the masked paths are empty', async () => {
    const r = await run(
      e,
      [],
      MASKED.map((p) => `echo "${p} $(cat ${p} 2>/dev/null | wc -c) $(ls -A ${p} 2>/dev/null | wc -l)"`).join('; '),
    );
    assert.equal(r.exitCode, 0, r.stderr);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/));
    assert.equal(rows.length, MASKED.length);
    const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();
    for (const [path, bytes, entries] of rows) {
      assert.equal(bytes, '0', `${path} reads empty`);
      if (isDir(path!)) assert.equal(entries, '0', `${path} lists nothing`);
    }
    const files = MASKED.filter((p) => existsSync(p) && !isDir(p));
    if (files.length > 0) {
      const kinds = await run(e, [], files.map((p) => `stat -c '%n %t:%T' ${p}`).join('; '));
      for (const line of kinds.stdout.trim().split('\n'))
        assert.match(line, / 1:3$/, `${line}: /dev/null over it, as Docker`);
    }
  });

  await t.test("exactly Docker's default capabilities; --cap-add/--cap-drop change them", async () => {
    const r = await run(e, [], 'cat /proc/self/status');
    assert.equal(r.exitCode, 0, r.stderr);
    for (const f of ['CapEff', 'CapBnd', 'CapPrm'] as const) assert.deepEqual(capsOf(r.stdout, f), DOCKER_DEFAULT, f);
    const c = await run(
      e,
      ['--cap-add', 'SYS_ADMIN', '--cap-drop', 'chown'],
      'cat /proc/self/status; mount -t tmpfs none /tmp && echo MOUNTED; touch /tmp/f; chown 1 /tmp/f && echo CHOWNED; true',
    );
    assert.deepEqual(capsOf(c.stdout, 'CapEff'), sorted([...DOCKER_DEFAULT.filter((x) => x !== 'CHOWN'), 'SYS_ADMIN']));
    assert.match(c.stdout, /MOUNTED/);
    assert.doesNotMatch(c.stdout, /CHOWNED/);
    const all = await run(e, ['--cap-add', 'ALL'], 'cat /proc/self/status');
    assert.equal(all.exitCode, 0, all.stderr);
    assert.deepEqual(capsOf(all.stdout, 'CapEff'), hostCapBnd(), 'ALL: every capability gantry holds');
  });

  await t.test('the host network is out of reach; NET_ADMIN changes only its own namespace', async () => {
    const link = `gi${process.pid}`.slice(0, 15);
    const addr = `10.214.${(process.pid % 250) + 1}.9`;
    const denied = await run(
      e,
      [],
      `ip link add ${link} type veth peer name ${link}p && echo ADDED; ip addr add ${addr}/32 dev lo && echo ADDR; true`,
    );
    assert.doesNotMatch(denied.stdout, /ADDED|ADDR/);
    const own = await run(
      e,
      ['--cap-add', 'NET_ADMIN'],
      `ip link add ${link} type veth peer name ${link}p && ip addr add ${addr}/32 dev lo && ip -o link show ${link} && ip -4 -o addr show lo`,
    );
    assert.equal(own.exitCode, 0, own.stderr);
    assert.match(own.stdout, new RegExp(`${link}.*\\n(.|\\n)*${addr.replace(/\./g, '\\.')}`), 'it worked inside');
    assert.equal(existsSync(`/sys/class/net/${link}`), false, 'no such link on the host');
    assert.doesNotMatch(
      execFileSync('ip', ['-4', '-o', 'addr'], { encoding: 'utf8' }),
      new RegExp(addr.replace(/\./g, '\\.')),
    );
  });

  await t.test('writes land in its own layer: the image is unchanged, the host untouched', async () => {
    const name = `iso${process.pid}w`;
    const w = await e.gantry([
      'container',
      'run',
      '--name',
      name,
      IMG,
      'sh',
      '-c',
      `echo evil > /bin/escape${process.pid}; echo evil >> /etc/passwd`,
    ]);
    assert.equal(w.exitCode, 0, w.stderr);
    const found = execFileSync('find', [e.root, '-name', `escape${process.pid}`], { encoding: 'utf8' })
      .trim()
      .split('\n');
    assert.deepEqual(found, [join(e.root, 'containers', name, 'upper', 'bin', `escape${process.pid}`)]);
    const again = await run(e, [], `cat /etc/passwd; test -e /bin/escape${process.pid} && echo LEFT; true`);
    assert.doesNotMatch(again.stdout, /evil|LEFT/, 'a new container starts from the unchanged image');
    assert.equal((await e.gantry(['container', 'rm', '-f', name])).exitCode, 0);
  });

  await t.test('--privileged: every held capability, no masks, mounts allowed', async () => {
    const r = await run(
      e,
      ['--privileged'],
      'cat /proc/self/status; mount -t tmpfs none /tmp && echo MOUNTED; ls -A /sys/firmware | wc -l; stat -c "%F" /proc/interrupts',
    );
    assert.equal(r.exitCode, 0, r.stderr);
    assert.deepEqual(capsOf(r.stdout, 'CapEff'), hostCapBnd());
    assert.match(r.stdout, /MOUNTED/);
    if (existsSync('/sys/firmware'))
      assert.match(
        r.stdout,
        new RegExp(`^${execFileSync('sh', ['-c', 'ls -A /sys/firmware | wc -l'], { encoding: 'utf8' }).trim()}$`, 'm'),
      );
    if (existsSync('/proc/interrupts'))
      assert.match(r.stdout, /regular (empty )?file/, '/proc/interrupts is the real one');
  });
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Whether a TCP connection to host:port from the host itself is accepted. */
function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect({ host, port, timeout: 5000 });
    c.once('connect', () => (c.destroy(), resolve(true)));
    c.once('error', () => resolve(false));
    c.once('timeout', () => (c.destroy(), resolve(false)));
  });
}

async function logText(root: string, container: string, until: RegExp): Promise<string> {
  const file = join(root, 'containers', container, 'container.log');
  const deadline = Date.now() + 60_000;
  let text = '';
  while (Date.now() < deadline) {
    text = existsSync(file) ? readFileSync(file, 'utf8').replace(/^\S+ std(out|err) [FP] /gm, '') : '';
    if (until.test(text)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return text;
}

test('up: cap_add/cap_drop, read_only, privileged, and ports published on 127.0.0.1 only', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const net = makeTestAddress('i');
  t.after(() => net.remove());
  const [local, onTest] = [await freePort(), await freePort()];
  const name = `iso${process.pid}up`;
  const serve = (text: string) =>
    `["sh", "-c", "mkdir -p /www && echo ${text} > /www/index.html && exec httpd -f -p 8080 -h /www"]`;
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  caps:
    image: ${IMG}
    init: true
    cap_add: [NET_ADMIN, SYS_TIME]
    cap_drop: [CHOWN, NET_RAW]
    command: ["sh", "-c", "cat /proc/self/status; touch /tmp/f; chown 1 /tmp/f && echo CHOWNED; echo END; exec sleep 600"]
  none:
    image: ${IMG}
    init: true
    cap_drop: [ALL]
    command: ["sh", "-c", "cat /proc/self/status; echo END; exec sleep 600"]
  ro:
    image: ${IMG}
    init: true
    read_only: true
    tmpfs: [/scratch]
    volumes: ["./data:/data", "vol:/vol"]
    command: ["sh", "-c", "touch /rootfile && echo ROOT-WRITTEN; touch /scratch/a && echo TMPFS-OK; echo hi > /data/a && echo BIND-OK; touch /vol/a && echo VOL-OK; echo END; exec sleep 600"]
  priv:
    image: ${IMG}
    init: true
    privileged: true
    command: ["sh", "-c", "cat /proc/self/status; mount -t tmpfs none /tmp && echo MOUNTED; echo END; exec sleep 600"]
  local:
    image: ${IMG}
    init: true
    ports: ["127.0.0.1:${local}:8080"]
    command: ${serve('local-only')}
  test:
    image: ${IMG}
    init: true
    ports: ["${net.hostIp}:${onTest}:8080"]
    command: ${serve('on-test-address')}
volumes:
  vol: {}
`,
  });
  mkdirSync(join(dir, 'data'));
  const up = await e.gantry(['up', '-d'], { cwd: dir, timeoutMs: 180_000 });
  assert.equal(up.exitCode, 0, up.stderr);

  const caps = await logText(e.root, `${name}-caps-1`, /END/);
  assert.deepEqual(
    capsOf(caps, 'CapEff'),
    sorted([...DOCKER_DEFAULT.filter((c) => c !== 'CHOWN' && c !== 'NET_RAW'), 'NET_ADMIN', 'SYS_TIME']),
  );
  assert.doesNotMatch(caps, /CHOWNED/);
  assert.deepEqual(capsOf(await logText(e.root, `${name}-none-1`, /END/), 'CapEff'), []);

  const ro = await logText(e.root, `${name}-ro-1`, /END/);
  assert.doesNotMatch(ro, /ROOT-WRITTEN/);
  assert.match(ro, /Read-only file system/);
  for (const ok of ['TMPFS-OK', 'BIND-OK', 'VOL-OK']) assert.match(ro, new RegExp(ok));
  assert.equal(readFileSync(join(dir, 'data', 'a'), 'utf8'), 'hi\n');

  const priv = await logText(e.root, `${name}-priv-1`, /END/);
  assert.deepEqual(capsOf(priv, 'CapEff'), hostCapBnd());
  assert.match(priv, /MOUNTED/);

  // The control first: the port published on the test address answers there, from the other namespace.
  const url = (host: string, port: number) => `http://${host}:${port}/`;
  let reached = net.inNetns(['curl', '-sS', '--max-time', '5', url(net.hostIp, onTest)]);
  for (let i = 0; i < 30 && !reached.out.includes('on-test-address'); i++) {
    await new Promise((r) => setTimeout(r, 500));
    reached = net.inNetns(['curl', '-sS', '--max-time', '5', url(net.hostIp, onTest)]);
  }
  assert.match(reached.out, /on-test-address/, 'the test can see a published port from its namespace');
  assert.equal(await tcpOpen('127.0.0.1', local), true, 'the 127.0.0.1 port answers on 127.0.0.1');
  const fromNs = net.inNetns(['curl', '-sS', '--max-time', '5', url(net.hostIp, local)]);
  assert.doesNotMatch(fromNs.out, /local-only/);
  assert.notEqual(fromNs.code, 0, fromNs.out);
  assert.equal(await tcpOpen(net.hostIp, local), false, 'nor from the host to its other address');
  assert.equal(await tcpOpen(net.hostIp, onTest), true);
});

/** A docker-save archive of one layer whose only entry climbs out with "..". */
function traversalArchive(dir: string, escape: string): string {
  const layer = buildTar([{ name: `../../../../../../../..${escape}`, data: 'escaped\n' }]);
  const diffId = `sha256:${createHash('sha256').update(layer).digest('hex')}`;
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: { Cmd: ['true'] },
    rootfs: { type: 'layers', diff_ids: [diffId] },
  });
  const manifest = JSON.stringify([
    { Config: 'config.json', RepoTags: [`gantry-test/evil:${process.pid}`], Layers: ['layer.tar'] },
  ]);
  const file = join(dir, 'evil.tar');
  writeFileSync(
    file,
    buildTar([
      { name: 'manifest.json', data: manifest },
      { name: 'config.json', data: config },
      { name: 'layer.tar', data: layer.toString('latin1') },
    ]),
  );
  return file;
}

test('image load refuses a layer with a ".." path and stores nothing', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const escape = `/tmp/gantry-escape-${process.pid}`;
  const archive = traversalArchive(e.root, escape);
  const r = await e.gantry(['image', 'load', '-i', archive]);
  assert.notEqual(r.exitCode, 0);
  assert.match(r.stderr, /layer entry ".*gantry-escape-\d+" has a "\.\." component/);
  assert.equal(r.stderr.trim().split('\n').length, 1, 'one line, no stack');
  assert.equal(existsSync(escape), false);
  const ls = await e.gantry(['image', 'ls']);
  assert.doesNotMatch(ls.stdout, /evil/);
});
