// runArgv: the CLI in-process, with stdout, stderr and the exit code captured and the process
// left alone; it must answer exactly as bin/gantry.js does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runArgv } from '../../../src/cli/run-argv.ts';
import { oneLine } from '../../../src/common/errors.ts';
import { runGantry } from '../../helpers/cli.ts';

const env = { PATH: '/usr/bin:/bin', HOME: '/nonexistent' };

function project(t: { after: (f: () => void) => void }, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), `gantry-run-argv-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'compose.yaml'), text);
  return dir;
}

test('runArgv captures output and exit code without touching the process', async (t) => {
  const dir = project(t, 'services:\n  web: {image: alpine}\n  db: {image: postgres}\n');
  const before = process.exitCode;
  const r = await runArgv(['config', '--services'], { cwd: dir, env });
  assert.deepEqual(r, { exitCode: 0, stdout: 'db\nweb\n', stderr: '' });
  assert.equal(process.exitCode, before);
});

test('runArgv answers byte for byte as the real CLI: success, invalid project, usage error', async (t) => {
  const ok = project(t, 'services:\n  web: {image: "alpine:${TAG}"}\n');
  const bad = project(t, 'services:\n  web:\n    image: alpine\n    command: "${A\\n  B}"\n');
  for (const [dir, args] of [
    [ok, ['config']],
    [bad, ['config']],
    [ok, ['config', '--no-such-flag']],
    [ok, ['nope']],
  ] as const) {
    const inProcess = await runArgv(args, { cwd: dir, env });
    const cli = await runGantry(args, { cwd: dir, env });
    assert.deepEqual(inProcess, cli, args.join(' '));
  }
  const r = await runArgv(['config'], { cwd: bad, env });
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /^[^\n]*compose\.yaml:4:14: services\.web\.command: Invalid template: "\$\{A\\n {2}B\}"\n$/);
});

test('runArgv reads -f - from the given input and honours the given environment', async () => {
  const r = await runArgv(['-f', '-', 'config', '--images'], {
    cwd: tmpdir(),
    env: { ...env, TAG: '3.20' },
    input: 'services:\n  a: {image: "alpine:${TAG}"}\n',
  });
  assert.deepEqual(r, { exitCode: 0, stdout: 'alpine:3.20\n', stderr: '' });
});

test('oneLine escapes line breaks and terminal control characters, keeps tabs and unicode', () => {
  assert.equal(oneLine('a\nb\r\x1b[31mc\td\u2028é\0'), 'a\\nb\\r\\u001b[31mc\td\\u2028é\\u0000');
});
