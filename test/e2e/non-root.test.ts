// Run as a non-root user (nobody, through setpriv), a command that needs root stops with one line
// saying so, exit 1, before touching anything (it used to fail later with a raw EPERM or mknod
// error); commands that need no root still work.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GANTRY_BIN } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'gantry-nonroot-'));
chmodSync(dir, 0o755);
writeFileSync(
  join(dir, 'compose.yaml'),
  'name: nonroot\nservices:\n  web:\n    image: gantry-test/busybox:latest\n    command: ["sleep", "60"]\n',
);
const state = join(dir, 'state'); // never created: the refusal comes first
after(() => rmSync(dir, { recursive: true, force: true }));

function asNobody(args: readonly string[]): { code: number; out: string; err: string } {
  const r = spawnSync(
    'setpriv',
    ['--reuid', '65534', '--regid', '65534', '--clear-groups', process.execPath, '--', GANTRY_BIN, ...args],
    {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin', HOME: dir, GANTRY_ROOT: state },
    },
  );
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const ROOT_COMMANDS: readonly (readonly string[])[] = [
  ['up', '-d'],
  ['down'],
  ['container', 'run', '--rm', 'gantry-test/busybox:latest', 'true'],
  ['run', '--rm', 'web', 'true'],
  ['exec', 'web', 'true'],
  ['image', 'pull', 'gantry-test/busybox:latest'],
  ['network', 'ls'],
  ['stop'],
  ['ls'],
  ['ps'],
];

for (const args of ROOT_COMMANDS) {
  const words = args
    .filter((a, i) => i === 0 || ((args[0] === 'container' || args[0] === 'image' || args[0] === 'network') && i === 1))
    .join(' ');
  test(`as nobody, ${words} says in one line that it needs root`, () => {
    const r = asNobody(args);
    assert.equal(r.code, 1);
    assert.equal(r.err, `gantry: ${words} needs root (run as root or with sudo); rootless mode is not supported yet\n`);
    assert.equal(r.out, '');
    assert.equal(existsSync(state), false);
  });
}

test('as nobody, commands that need no root work: version, --version, config, completion', () => {
  for (const args of [['version'], ['--version'], ['config', '-q'], ['completion', 'bash']]) {
    const r = asNobody(args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
    assert.doesNotMatch(r.err, /needs root/);
  }
});

test('as nobody, doctor runs every check and names root as what is missing', () => {
  const r = asNobody(['doctor']);
  assert.equal(r.code, 1);
  assert.deepEqual(
    r.out.split('\n').filter((l) => l.startsWith('missing')),
    ['missing root          running as uid 65534: run gantry as root or with sudo; rootless mode is not supported yet'],
  );
});
