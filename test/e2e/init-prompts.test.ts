// `gantry init` on a terminal (util-linux `script` gives it a pty): it asks only what detection
// could not read, each answer typed lands in the generated files, and Ctrl-C writes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GANTRY_BIN } from '../helpers/cli.ts';

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const DOWN = '\x1b[B';
const plain = (s: string): string => s.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '').replace(/\r/g, '');

/** Runs init on a pty; each time the next question appears, types its keys. */
function onTerminal(
  cwd: string,
  args: readonly string[],
  script: readonly (readonly [RegExp, string])[],
): Promise<{ code: number; output: string }> {
  const command = [process.execPath, GANTRY_BIN, 'init', ...args].map(quote).join(' ');
  const line = `stty cols 120 rows 40; ${command}`;
  const env = { PATH: process.env['PATH'] ?? '', TERM: 'xterm' };
  const child = spawn('script', ['-qec', line, '/dev/null'], { cwd, env });
  let output = '';
  let seen = 0;
  let step = 0;
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
    const text = plain(output);
    const next = script[step];
    if (next === undefined) return;
    const m = next[0].exec(text.slice(seen));
    if (m === null) return;
    seen += m.index + m[0].length;
    step += 1;
    setTimeout(() => child.stdin.write(next[1]), 150); // the prompt reads keys once it has drawn
  });
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.end();
      resolve({ code: code ?? 1, output: plain(output) });
    }),
  );
}

test('on a terminal: detected answers are not asked, typed answers are written', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-init-tty-'));
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { start: 'node app.js' } }));
    writeFileSync(join(dir, 'yarn.lock'), '');
    const r = await onTerminal(
      dir,
      [],
      [
        [/Node\.js version\?/, '20\r'],
        [/Port the app listens on\?/, '4000\r'],
        [/Add a database\?/, `${DOWN}\r`],
        [/Add a cache\?/, '\r'],
      ],
    );
    assert.equal(r.code, 0, r.output);
    assert.doesNotMatch(r.output, /Package manager\?|Command that starts the app\?/, 'detected answers are not asked');
    const df = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    assert.match(df, /ARG NODE_VERSION=20\n/);
    assert.match(df, /yarn install --frozen-lockfile --production/);
    assert.match(df, /CMD \["yarn","start"\]/);
    const compose = readFileSync(join(dir, 'compose.yaml'), 'utf8');
    assert.match(compose, /:4000"/);
    assert.match(compose, /^ {2}db:$/m);
    assert.doesNotMatch(compose, /^ {2}cache:$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('on a terminal: Ctrl-C at a question ends init, nothing written (exit 130)', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-init-tty-'));
  try {
    const r = await onTerminal(dir, ['--template', 'go'], [[/Go version\?/, '\x03']]);
    assert.equal(r.code, 130, r.output);
    assert.match(r.output, /init cancelled; nothing written/);
    assert.equal(existsSync(join(dir, 'compose.yaml')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
