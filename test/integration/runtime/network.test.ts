// Network namespaces: by default a fresh one with only loopback (up); given a path, the
// container joins that namespace (the network area creates it); namespaced sysctls apply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readlinkSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { fixture } from '../../helpers/rootfs-runtime.ts';

test('network namespaces', async (t) => {
  const f = fixture(t, 'net');

  await t.test('default: a fresh namespace with loopback up and nothing else', async () => {
    const r = await f.run(['/bin/sh', '-c', 'ip -o link; echo --; ip -o addr show lo; readlink /proc/self/ns/net']);
    const links = r.stdout.split('--')[0]!.trim().split('\n');
    assert.equal(links.length, 1, links.join('\n'));
    assert.match(links[0]!, /^1: lo: <LOOPBACK,UP,LOWER_UP>/);
    assert.match(r.stdout, /inet 127\.0\.0\.1\/8/);
    assert.notEqual(r.stdout.trim().split('\n').at(-1), readlinkSync('/proc/self/ns/net'));
  });

  await t.test('netns path: the container joins it; sysctls are set inside it only', async (tt) => {
    const ns = `gantry-t-${process.pid}`;
    execFileSync('ip', ['netns', 'add', ns]);
    tt.after(() => execFileSync('ip', ['netns', 'del', ns]));
    execFileSync('ip', ['-n', ns, 'link', 'add', 'gt0', 'type', 'veth', 'peer', 'name', 'gt1']);
    const hostForward = execFileSync('sysctl', ['-n', 'net.ipv4.conf.all.forwarding'], { encoding: 'utf8' }).trim();
    const r = await f.run(
      [
        '/bin/sh',
        '-c',
        'ip -o link show gt0 && echo has-gt0; cat /proc/sys/net/ipv4/ip_unprivileged_port_start; stat -L -c %i /proc/self/ns/net',
      ],
      {
        netns: `/run/netns/${ns}`,
        sysctls: { 'net.ipv4.ip_unprivileged_port_start': '80' },
      },
    );
    assert.equal(r.state.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^has-gt0$/m);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.at(-2), '80');
    assert.equal(Number(lines.at(-1)), statSync(`/run/netns/${ns}`).ino);
    assert.equal(
      execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-n', 'net.ipv4.ip_unprivileged_port_start'], {
        encoding: 'utf8',
      }).trim(),
      '80',
    );
    assert.notEqual(
      execFileSync('sysctl', ['-n', 'net.ipv4.ip_unprivileged_port_start'], { encoding: 'utf8' }).trim(),
      '80',
    );
    assert.equal(
      execFileSync('sysctl', ['-n', 'net.ipv4.conf.all.forwarding'], { encoding: 'utf8' }).trim(),
      hostForward,
    );
  });

  await t.test("IPC sysctls land in the container's own IPC namespace", async () => {
    const host = execFileSync('sysctl', ['-n', 'kernel.msgmax'], { encoding: 'utf8' }).trim();
    const r = await f.run(['/bin/cat', '/proc/sys/kernel/msgmax'], { sysctls: { 'kernel.msgmax': '12345' } });
    assert.equal(r.stdout.trim(), '12345');
    assert.equal(execFileSync('sysctl', ['-n', 'kernel.msgmax'], { encoding: 'utf8' }).trim(), host);
  });

  await t.test('"host" namespaces: net, pid, uts stay the host\'s; the host hostname is not touched', async () => {
    const r = await f.run(['/bin/sh', '-c', 'readlink /proc/self/ns/net; hostname; ps -o pid | grep -c .'], {
      hostname: 'must-not-apply',
      namespaces: { net: 'host', pid: 'host', uts: 'host' },
    });
    const [net, host, procs] = r.stdout.trim().split('\n');
    assert.equal(net, readlinkSync('/proc/self/ns/net'));
    assert.equal(host, hostname());
    assert.ok(Number(procs) > 20, `${procs} processes visible`);
  });

  await t.test("joining another container's ipc and pid namespaces", async () => {
    const id = await f.startDetached(['/bin/sleep', '30']);
    const pid = f.rt.state(id).pid!;
    const r = await f.run(['/bin/sh', '-c', 'readlink /proc/self/ns/ipc; ps -o comm'], {
      namespaces: { ipc: `/proc/${pid}/ns/ipc`, pid: `/proc/${pid}/ns/pid` },
    });
    assert.equal(r.state.exitCode, 0, r.stderr);
    assert.equal(r.stdout.split('\n')[0], readlinkSync(`/proc/${pid}/ns/ipc`));
    assert.match(r.stdout, /^sleep$/m);
  });

  await t.test('a sysctl for a namespace the container does not own is refused', async () => {
    const id = f.id('sysctl');
    await f.rt.create(
      id,
      f.spec(['/bin/true'], { namespaces: { net: 'host' }, sysctls: { 'net.ipv4.ip_forward': '1' } }),
    );
    await assert.rejects(
      f.rt.start(id),
      /sysctl net\.ipv4\.ip_forward needs the container's own net namespace, not the host's/,
    );
    const id2 = f.id('sysctl2');
    await f.rt.create(id2, f.spec(['/bin/true'], { sysctls: { 'vm.swappiness': '1' } }));
    await assert.rejects(f.rt.start(id2), /not namespaced/);
  });
});
