// Shell completion as a user gets it: the bash script sourced in a real bash, asked through
// COMP_WORDS/COMP_CWORD for commands, subcommands, flags and the current project's services
// (from the compose file in the current dir, or the one -f names).
// No bound on speed: each CLI run gets the e2e helpers' 120 s, the whole test 10 minutes, as a
// loaded host (load 20 on 2 cores) takes several seconds per run and this test makes about 20.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GANTRY_BIN, runGantry } from '../helpers/cli.ts';

const run = promisify(execFile);

test('gantry completion', { timeout: 10 * 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-compl-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'gantry'), `#!/bin/sh\nexec ${process.execPath} ${GANTRY_BIN} "$@"\n`);
  chmodSync(join(dir, 'bin', 'gantry'), 0o755);
  const proj = join(dir, 'proj');
  mkdirSync(proj);
  writeFileSync(join(proj, 'compose.yaml'), 'services:\n  web: {image: x}\n  worker: {image: x}\n  db: {image: x}\n');
  writeFileSync(join(proj, 'other.yaml'), 'services:\n  cache: {image: x}\n');
  const env = {
    PATH: `${join(dir, 'bin')}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
    HOME: dir,
    GANTRY_ROOT: join(dir, 'root'),
  };
  // Sourced as a shell's rc file does: once, then asked on every Tab (each ask runs `gantry __complete`).
  const script = join(dir, 'gantry.bash');
  await run('bash', ['-c', `gantry completion bash > ${script}`], { cwd: proj, env, timeout: 120_000 });
  /** What bash offers for `words`, the last being the word under the cursor. */
  const complete = async (...words: string[]): Promise<string[]> => {
    const ask = `source ${script}
COMP_WORDS=(${['gantry', ...words].map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length}
$(complete -p gantry | sed 's/.*-F \\([^ ]*\\) .*/\\1/')
printf '%s\\n' "\${COMPREPLY[@]}"`;
    const { stdout } = await run('bash', ['-c', ask], { cwd: proj, env, timeout: 120_000 });
    return stdout.split('\n').filter(Boolean);
  };

  await t.test('commands, from the live command tree', async () => {
    assert.deepEqual(await complete('l'), ['logs', 'ls']);
    const all = await complete('');
    for (const c of ['up', 'down', 'ps', 'events', 'stats', 'cp', 'version', 'completion'])
      assert.ok(all.includes(c), `${c} in ${all.join(' ')}`);
    assert.ok(!all.includes('__complete'), 'the hidden helper stays hidden');
    assert.ok((await complete('image', '')).includes('ls'), 'subcommands of a group');
  });

  await t.test('flags of the command under the cursor', async () => {
    assert.deepEqual(await complete('ps', '--fo'), ['--format']);
    assert.deepEqual(await complete('stats', '--no-s'), ['--no-stream']);
    assert.ok((await complete('--pro')).includes('--project-name'), 'global flags before the command');
    assert.deepEqual(await complete('ps', '--format', ''), [], 'an option value is not a command word');
  });

  await t.test('SERVICE arguments: the project in the current dir, or -f', async () => {
    assert.deepEqual(await complete('logs', ''), ['db', 'web', 'worker']);
    assert.deepEqual(await complete('stats', 'w'), ['web', 'worker']);
    assert.deepEqual(await complete('-f', 'other.yaml', 'events', ''), ['cache']);
    assert.deepEqual(await complete('cp', 'd'), ['db:'], 'cp takes SERVICE:PATH');
  });

  await t.test('zsh and fish scripts; unknown shells', async () => {
    const zsh = await runGantry(['completion', 'zsh'], { env, timeoutMs: 120_000 });
    assert.equal(zsh.exitCode, 0);
    assert.match(zsh.stdout, /^#compdef gantry\n[\s\S]*gantry __complete -- /);
    const fish = await runGantry(['completion', 'fish'], { env, timeoutMs: 120_000 });
    assert.match(fish.stdout, /complete -c gantry -f -a '\(__gantry_complete\)'/);
    const bad = await runGantry(['completion', 'tcsh'], { env, timeoutMs: 120_000 });
    assert.equal(bad.exitCode, 2);
    assert.match(bad.stderr, /unknown shell "tcsh"/);
  });
});
