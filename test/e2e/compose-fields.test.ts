// Service fields Docker runs with, run by `up` from the CLI (issue 15, "never refuse what Docker
// tolerates"): each is applied in the container, warned about, or refused in one line naming
// the service and the field. On b78938f `up` refused security_opt, devices, oom_score_adj,
// mac_address, storage_opt and develop, and host-gateway; domainname and shm_size were ignored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { logsUntil } from '../helpers/logs-until.ts';

const IMG = 'gantry-test/busybox:latest';
// Docker's seccomp format: everything allowed but mkdir, which fails with EPERM
const PROFILE = JSON.stringify({
  defaultAction: 'SCMP_ACT_ALLOW',
  syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO' }],
});
const cgroupV2 = !existsSync('/sys/fs/cgroup/devices');

const PROBE = [
  'echo nnp=$(grep NoNewPrivs /proc/self/status | cut -f2)',
  'mkdir /tmp/made 2>/dev/null && echo mkdir=ok || echo mkdir=denied',
  'echo domain=$(cat /proc/sys/kernel/domainname)',
  'echo oom=$(cat /proc/1/oom_score_adj)',
  'echo shm=$(df -k /dev/shm | tail -1 | awk "{print \\$2}")',
  'echo gw=$(ip route | awk "/default/ {print \\$3}") hostgw=$(awk "/dockerhost/ {print \\$1}" /etc/hosts)',
  'echo mac=$(cat /sys/class/net/eth0/address)',
  'cat /dev/probe 2>&1 | sed "s/^/probe=/"',
  'mknod /dev/other c 240 8 && cat /dev/other 2>&1 | sed "s/^/other=/"',
  'echo link=$(nslookup database 2>/dev/null | awk "/^Address/ {a=\\$$NF} END {print a}")',
  'echo db=$(nslookup db 2>/dev/null | awk "/^Address/ {a=\\$$NF} END {print a}")',
  'echo DONE; exec sleep 600',
].join('; ');

test('security_opt, devices, shm_size, domainname, oom_score_adj, host-gateway, mac_address, links', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}fields`;
  const dir = e.project(name, {
    'profile.json': PROFILE,
    'compose.yaml': `name: ${name}
services:
  db:
    image: ${IMG}
    init: true
    command: ["sleep", "600"]
  web:
    image: ${IMG}
    init: true
    depends_on: [db]
    links: ["db:database"]
    command: ["sh", "-c", ${JSON.stringify(PROBE)}]
    security_opt: ["no-new-privileges:true", "seccomp=./profile.json", "label=disable"]
    devices: ["DIR/probe-node:/dev/probe:rwm"]
    shm_size: 96m
    domainname: example.test
    oom_score_adj: 321
    extra_hosts: ["dockerhost:host-gateway"]
    mac_address: "02:42:ac:11:00:99"
    storage_opt: { size: 1G }
    develop: { watch: [{ path: ./src, action: rebuild }] }
`,
  });
  writeFileSync(join(dir, 'compose.yaml'), readFileSync(join(dir, 'compose.yaml'), 'utf8').replace('DIR/', `${dir}/`));
  // a device with no driver behind it: opening it says ENXIO once the device cgroup lets it through
  execFileSync('mknod', [join(dir, 'probe-node'), 'c', '240', '7']);
  const config = await e.gantry(['config', '-q'], { cwd: dir });
  assert.equal(config.exitCode, 0, config.stderr);
  assert.match(config.stderr, /services\.web\.security_opt\[2\]: "label=disable" not applied/);
  assert.match(config.stderr, /services\.web\.storage_opt: not applied/);
  assert.doesNotMatch(config.stderr, /develop/);
  const up = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  const out = await logsUntil(e, dir, 'web', (s) => s.includes('DONE'));
  assert.match(out, /^nnp=1$/m);
  assert.match(out, /^mkdir=denied$/m, 'the seccomp profile file is loaded');
  assert.match(out, /^domain=example\.test$/m);
  assert.match(out, /^oom=321$/m);
  assert.match(out, /^shm=98304$/m);
  const gw = /^gw=(\S+) hostgw=(\S*)$/m.exec(out);
  assert.ok(gw && gw[1], out);
  assert.equal(gw[2], gw[1], 'host-gateway is the bridge gateway');
  assert.match(out, /^mac=02:42:ac:11:00:99$/m);
  assert.match(out, /^probe=.*No such device or address/m, 'the device node is there and opened to the container');
  if (!cgroupV2) assert.match(out, /^other=.*Operation not permitted/m, 'a node not listed stays closed');
  const link = /^link=(\S+)$/m.exec(out)?.[1];
  assert.ok(link, out);
  assert.equal(link, /^db=(\S+)$/m.exec(out)?.[1], 'the link alias resolves to the linked service');
});

test('fields that cannot run without Docker are refused at up in one line; invalid restart is an error', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}refuse`;
  const one = (services: string) => `name: ${name}\nservices:\n${services}`;
  const dir = e.project(name, { 'compose.yaml': one(`  gpu:\n    image: ${IMG}\n    gpus: all\n`) });
  const cfg = await e.gantry(['config', '-q'], { cwd: dir });
  assert.equal(cfg.exitCode, 0, cfg.stderr);
  const gpu = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(gpu.exitCode, 1);
  assert.match(gpu.stderr.trim(), /^[^\n]*services\.gpu\.gpus: GPUs need/);
  writeFileSync(
    join(dir, 'compose.yaml'),
    one(`  cdi:\n    image: ${IMG}\n    command: ["true"]\n    devices: ["nvidia.com/gpu=all"]\n`),
  );
  const cdi = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(cdi.exitCode, 1);
  assert.match(cdi.stderr, /services\.cdi\.devices: nvidia\.com\/gpu=all: CDI devices need a CDI registry/);
  writeFileSync(join(dir, 'compose.yaml'), one(`  r:\n    image: ${IMG}\n    restart: sometimes\n`));
  const bad = await e.gantry(['config', '-q'], { cwd: dir });
  assert.equal(bad.exitCode, 1);
  assert.match(bad.stderr, /compose\.yaml:\d+:\d+: services\.r\.restart: invalid restart policy "sometimes"/);
  writeFileSync(join(dir, 'compose.yaml'), one(`  s:\n    image: ${IMG}\n    security_opt: ["bogus"]\n`));
  const opt = await e.gantry(['config', '-q'], { cwd: dir });
  assert.equal(opt.exitCode, 1);
  assert.match(opt.stderr, /services\.s\.security_opt\[0\]: "bogus" is not a security option/);
});
