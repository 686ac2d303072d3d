// Attack class "plan": what an image config or a compose file could smuggle into the shim's plan
// (ops injected through a NUL), into the kernel (sysctl paths, hostnames, ids) or into /etc files
// (a newline in a name), and mounts that are less read-only than they say. Each attack runs
// through the real CLI or the real shim binary and must be refused with one line, or contained.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { e2eRoot } from '../../helpers/engine-e2e.ts';
import { craftImage, injectingDir, runShim } from '../../helpers/attack-plan.ts';
import { TEST_IMAGE_REF } from '../../helpers/test-images.ts';
import { startRegistry } from '../../helpers/registry.ts';
import { encodePlan } from '../../../src/runtime/process/plan-encoding.ts';

const SHIM = join(import.meta.dirname, '..', '..', '..', 'native', 'build', 'gantry-shim');
const work = mkdtempSync(join(tmpdir(), 'gantry-attack-plan-'));
after(() => rmSync(work, { recursive: true, force: true }));
const e = await e2eRoot(after);
let n = 0;
const project = (svc: string, extra = ''): string =>
  e.project(`atk-plan-${process.pid}-${n++}`, {
    'compose.yaml': `services:\n  web:\n    image: ${TEST_IMAGE_REF}\n${svc}${extra}`,
  });
// one error line; progress lines (" Network x  Created") may come before it
const oneLine = (s: string): boolean => s.split('\n').filter((l) => l.trim() !== '' && !l.startsWith(' ')).length === 1;

test('attack plan-01: an image config whose WorkingDir injects ops (exec before caps, seccomp, user) is held', async () => {
  const cases: Record<string, (c: Record<string, unknown>) => void> = {
    WorkingDir: (c) => (c['WorkingDir'] = injectingDir(['/bin/sh', '-c', 'grep CapEff /proc/self/status'])),
    Env: (c) => (c['Env'] = ['A=1\0B']),
    Cmd: (c) => (c['Cmd'] = ['sh', '-c\0x']),
    Entrypoint: (c) => (c['Entrypoint'] = ['/bin/sh\0']),
    User: (c) => (c['User'] = '0\0root'),
  };
  for (const [field, config] of Object.entries({
    ...cases,
    'WorkingDir ': (c: Record<string, unknown>) => (c['WorkingDir'] = 'relative/dir'),
  })) {
    const archive = await craftImage(work, { ref: `attack/plan01-${field.trim().toLowerCase()}-${n++}:1`, config });
    const r = await e.gantry(['image', 'load', '-i', archive]);
    assert.equal(r.exitCode, 1, `${field}: loaded: ${r.stdout}`);
    assert.ok(oneLine(r.stderr), r.stderr);
    assert.match(r.stderr, new RegExp(`config\\.${field.trim()}`), r.stderr);
  }
});

test('attack plan-01b: the same config pulled from a registry is held before anything is stored', async () => {
  const reg = await startRegistry();
  try {
    const wd = (c: Record<string, unknown>) =>
      (c['WorkingDir'] = injectingDir(['/bin/sh', '-c', 'grep CapEff /proc/self/status']));
    const archive = await craftImage(work, { ref: 'attack/plan01b:1', config: wd });
    await reg.push(`docker-archive:${archive}`, 'attack/plan01b:1');
    const r = await e.gantry(['image', 'pull', `${reg.host}/attack/plan01b:1`]);
    assert.equal(r.exitCode, 1, `pulled: ${r.stdout}`);
    assert.ok(oneLine(r.stderr), r.stderr);
    assert.match(r.stderr, /config\.WorkingDir contains a NUL byte/);
    assert.doesNotMatch((await e.gantry(['images'])).stdout, /plan01b/);
  } finally {
    await reg.stop();
  }
});

test('attack plan-02: a compose working_dir whose NULs inject an exec is held', async () => {
  const wd = JSON.stringify(injectingDir(['/bin/sh', '-c', 'grep CapEff /proc/self/status']));
  const dir = project(`    working_dir: ${wd}\n    command: ["true"]\n`);
  const r = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(r.exitCode, 1, r.stdout + r.stderr);
  assert.ok(oneLine(r.stderr), r.stderr);
  assert.match(r.stderr, /services\.web\.working_dir/);
});

test('attack plan-03: compose values bound for the kernel, the plan or /etc files are refused, naming the field', async () => {
  const cases: readonly (readonly [string, string])[] = [
    ['working_dir', '    working_dir: relative/dir\n'],
    ['hostname', '    hostname: "web\\n10.0.0.1 bank.example"\n'],
    ['hostname', '    hostname: "web\\u0000x"\n'],
    ['domainname', '    domainname: "example.com\\nx"\n'],
    ['sysctls', '    sysctls: {"net.ipv4/../../sysrq-trigger": "b"}\n'],
    ['sysctls', '    sysctls: {"net.core.somaxconn": "1\\n2"}\n'],
    ['tmpfs', '    tmpfs: ["/run:size=1m,uid=0"]\n'],
    ['tmpfs', '    tmpfs: ["run"]\n'],
    ['extra_hosts', '    extra_hosts: ["evil\\n6.6.6.6 bank.example=1.2.3.4"]\n'],
    ['dns', '    dns: ["1.1.1.1\\nnameserver 6.6.6.6"]\n'],
    ['dns_search', '    dns_search: ["example.com\\nnameserver 6.6.6.6"]\n'],
    ['dns_opt', '    dns_opt: ["ndots:1\\nnameserver 6.6.6.6"]\n'],
    ['environment', '    environment: {A: "1\\u0000B"}\n'],
  ];
  for (const [field, yaml] of cases) {
    const r = await e.gantry(['config', '-q'], { cwd: project(yaml) });
    assert.equal(r.exitCode, 1, `${field} accepted: ${yaml}`);
    assert.ok(oneLine(r.stderr), r.stderr);
    assert.match(r.stderr, new RegExp(`services\\.web\\.${field}`), `${yaml}: ${r.stderr}`);
  }
});

test('attack plan-04: a malformed plan is refused whole by the shim, before any step runs', () => {
  const marker = join(work, 'marker');
  const plan = join(work, 'plan');
  const ran = join(work, 'ran');
  const mkdir = `5:mkdir,${Buffer.byteLength(marker)}:${marker},3:755,`;
  const touch = `12:/bin/busybox,5:touch,${Buffer.byteLength(ran)}:${ran},`;
  const cases: Record<string, string> = {
    'NUL-separated tokens': [
      'clone',
      '0',
      'begin',
      'mkdir',
      marker,
      '755',
      'args',
      '3',
      '/bin/busybox',
      'touch',
      ran,
      'env',
      '0',
      'exec',
      '',
    ].join('\0'),
    'length past the end': `5:clone,1:0,5:begin,${mkdir}4:exec,99:x`,
    'missing comma': `5:clone,1:0,5:begin,${mkdir}4:exec;`,
    'leading zero': `5:clone,1:0,5:begin,${mkdir}04:exec,`,
    'trailing bytes': `5:clone,1:0,5:begin,${mkdir}4:exec,x`,
    'NUL inside a token': `5:clone,1:0,5:begin,${mkdir}4:ex\0c,`,
    'count past the end': `5:clone,1:0,5:begin,${mkdir}4:args,1:9,${touch}3:env,1:0,4:exec,`,
    'count not a number': `5:clone,1:0,5:begin,${mkdir}4:args,2:3x,${touch}3:env,1:0,4:exec,`,
    'operand missing at the end': `5:clone,1:0,5:begin,${mkdir}5:mkdir,`,
    'uid out of range': `5:clone,1:0,5:begin,${mkdir}4:user,1:2,10:4294967296,1:0,4:args,1:3,${touch}3:env,1:0,4:exec,`,
  };
  const BYTE_LEVEL = Object.fromEntries(Object.entries(cases).slice(0, 6));
  for (const [name, text] of Object.entries(cases)) {
    rmSync(marker, { recursive: true, force: true });
    rmSync(ran, { force: true });
    const r = runShim(SHIM, plan, text);
    assert.equal(r.code, 125, `${name}: exit ${r.code} ${r.stderr}`);
    assert.match(r.stderr, /malformed plan/, name);
    // a malformed encoding stops the shim before any step; a bad operand stops it at its op
    if (name in BYTE_LEVEL) assert.equal(existsSync(marker), false, `${name}: a step ran`);
    assert.equal(existsSync(ran), false, `${name}: the program ran`);
  }
});

test('attack plan-05: an out-of-range uid or a passwd uid of "abc" does not run as root', async () => {
  const big = await e.gantry(['run', '--rm', '-T', 'web', 'id', '-u'], { cwd: project('    user: "4294967296"\n') });
  assert.notEqual(big.exitCode, 0, `ran as ${big.stdout}`);
  assert.ok(oneLine(big.stderr), big.stderr);
  const passwd = 'root:x:0:0:root:/root:/bin/sh\nevil:x:abc:0:evil:/:/bin/sh\n';
  const archive = await craftImage(work, {
    ref: 'attack/plan05-passwd:1',
    files: [{ name: 'etc/passwd', data: passwd }],
  });
  assert.equal((await e.gantry(['image', 'load', '-i', archive])).exitCode, 0);
  const abc = await e.gantry(['run', '--rm', '-T', 'web', 'id', '-u'], {
    cwd: e.project(`atk-plan-${process.pid}-${n++}`, {
      'compose.yaml': 'services:\n  web:\n    image: attack/plan05-passwd:1\n    user: evil\n',
    }),
  });
  assert.notEqual(abc.exitCode, 0, `ran as ${abc.stdout}`);
  assert.match(abc.stderr, /unable to find user evil/);
  assert.ok(oneLine(abc.stderr), abc.stderr);
});

test('attack plan-06: pid: host and ipc: host are honoured, never silently ignored', async () => {
  const dir = project('    pid: host\n    ipc: host\n');
  const r = await e.gantry(
    ['run', '--rm', '-T', 'web', 'sh', '-c', 'readlink /proc/self/ns/pid; readlink /proc/self/ns/ipc'],
    { cwd: dir },
  );
  assert.equal(r.exitCode, 0, r.stderr);
  assert.equal(r.stdout, `${readlinkSync('/proc/self/ns/pid')}\n${readlinkSync('/proc/self/ns/ipc')}\n`);
  const joined = await e.gantry(['run', '--rm', '-T', 'web', 'true'], { cwd: project('    pid: "container:x"\n') });
  assert.notEqual(joined.exitCode, 0, 'pid: container:x was ignored');
  assert.ok(oneLine(joined.stderr), joined.stderr);
});

test('attack plan-07: a container writing the host /proc/sys through a "/:/host:ro" bind is held', async () => {
  // writes back the value already there: harmless to the host even when the attack succeeds
  const f = '/host/proc/sys/kernel/printk_ratelimit';
  const script = `v=$(cat ${f}); if echo "$v" > ${f}; then echo WROTE; else echo DENIED; fi; touch /host/tmp/x 2>/dev/null && echo TOP || echo TOP-RO`;
  const dir = project('    volumes: ["/:/host:ro"]\n');
  const r = await e.gantry(['run', '--rm', '-T', 'web', 'sh', '-c', script], { cwd: dir });
  assert.equal(r.exitCode, 0, r.stderr);
  assert.equal(r.stdout, 'DENIED\nTOP-RO\n');
});

test('attack plan-08: values that look like plan syntax reach the program as data, byte for byte', () => {
  const hostile = ['a,b', '12:x,', '4:exec,', 'begin', 'line\nbreak', 'é€😀', '', '0:,'];
  const plan = encodePlan(
    [['attach'], ['clone', '0']],
    [['args', String(hostile.length + 3), '/bin/busybox', 'printf', '[%s]', ...hostile], ['env', '0'], ['exec']],
  );
  const r = runShim(SHIM, join(work, 'plan-rt'), plan);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, hostile.map((h) => `[${h}]`).join(''));
});
