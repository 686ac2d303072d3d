// Docker habits from the CLI as a user types them: `gantry compose <cmd>` as `gantry <cmd>`, and
// colour chosen by --ansi / NO_COLOR in `logs` and attached `up`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { runGantry } from '../helpers/cli.ts';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const IMG = 'gantry-test/busybox:latest';
const ESC = '\x1b[';
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent' };

test('gantry compose <cmd> is gantry <cmd>, global flags before or after the word', async () => {
  const plain = await runGantry(['-f', 'examples/hello/compose.yaml', 'config', '--services'], { cwd: REPO, env });
  assert.equal(plain.exitCode, 0, plain.stderr);
  for (const args of [
    ['compose', '-f', 'examples/hello/compose.yaml', 'config', '--services'],
    ['-f', 'examples/hello/compose.yaml', 'compose', 'config', '--services'],
  ]) {
    const r = await runGantry(args, { cwd: REPO, env });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, plain.stdout);
  }
  const hello = ['-f', 'examples/hello/compose.yaml'];
  const named = await runGantry(['-p', 'compose', ...hello, 'compose', 'config', '--format', 'json'], {
    cwd: REPO,
    env,
  });
  assert.equal((JSON.parse(named.stdout) as { name: string }).name, 'compose');
  const bad = await runGantry(['compose', '--ansi', 'sometimes', 'config'], { cwd: REPO, env });
  assert.equal(bad.exitCode, 2);
  assert.match(bad.stderr, /--ansi/);
});

test('--ansi always colours log prefixes, never/NO_COLOR/a pipe do not; ps --format templates', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}habits`;
  const dir = e.project(name, {
    'compose.yaml':
      `name: ${name}\nservices:\n  talker:\n    image: ${IMG}\n` + '    command: [sh, -c, "echo hi; exec sleep 600"]\n',
  });
  const up = await e.gantry(['compose', 'up', '-d'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  const ps = await e.gantry(['compose', 'ps', '--format', 'json'], { cwd: dir });
  assert.deepEqual(
    (JSON.parse(ps.stdout) as { Service: string }[]).map((p) => p.Service),
    ['talker'],
  );
  const fields = '{{.Name}} {{.Service}} {{.State}} {{.Image}} {{.ID}}';
  const tpl = await e.gantry(['ps', '--format', fields], { cwd: dir });
  assert.equal(tpl.exitCode, 0, tpl.stderr);
  assert.equal(tpl.stdout, `${name}-talker-1 talker running ${IMG} ${name}-talker-1\n`);
  const table = await e.gantry(['ps', '--format', 'table {{.Name}}\\t{{.Status}}\\t{{.Ports}}'], { cwd: dir });
  assert.match(table.stdout, new RegExp(`^NAME {3,}STATUS {3,}PORTS\n${name}-talker-1 {3,}Up[^\n]*\n$`));
  assert.equal((await e.gantry(['ps', '--format', '{{.Nope}}'], { cwd: dir })).exitCode, 2);
  const logs = (args: string[], extra: Record<string, string> = {}) =>
    runGantry(args, { cwd: dir, env: { ...e.env, ...extra } });
  let out = '';
  for (let i = 0; i < 100 && !out.includes('hi'); i++) {
    out = (await logs(['--ansi', 'always', 'logs'])).stdout;
    if (!out.includes('hi')) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(out.includes(`${ESC}`) && out.includes('talker-1  | '), JSON.stringify(out));
  assert.ok(!(await logs(['logs'])).stdout.includes(ESC), 'a pipe is not a terminal');
  assert.ok(!(await logs(['compose', '--ansi', 'never', 'logs'])).stdout.includes(ESC));
  const forced = await logs(['compose', '--ansi', 'always', 'logs'], { NO_COLOR: '1' });
  assert.ok(forced.stdout.includes(ESC), '--ansi beats NO_COLOR');
});

test('config --variables lists the variables with their defaults; --environment the interpolation env', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-habits-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, 'compose.yaml'),
    [
      'services:',
      '  web:',
      '    image: "nginx:${TAG:-1.27}"',
      '    ports: ["${PORT:?set PORT}:80"]',
      '    environment: {MODE: "${MODE:+on}", LEVEL: "${LEVEL:-${FALLBACK:-info}}", PLAIN: $PLAIN, COST: $$5}',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, '.env'), 'PORT=8080\nFROM_DOTENV=yes\n');
  const vars = await runGantry(['compose', 'config', '--variables'], { cwd: dir, env });
  assert.equal(vars.exitCode, 0, vars.stderr);
  assert.equal(
    vars.stdout,
    [
      'NAME       REQUIRED   DEFAULT VALUE       ALTERNATE VALUE',
      'FALLBACK   false      info',
      'LEVEL      false      ${FALLBACK:-info}',
      'MODE       false                          on',
      'PLAIN      false',
      'PORT       true',
      'TAG        false      1.27',
      '',
    ].join('\n'),
  );
  const environment = await runGantry(['config', '--environment'], { cwd: dir, env: { ...env, TAG: '2' } });
  assert.equal(environment.exitCode, 0, environment.stderr);
  const lines = environment.stdout.split('\n');
  assert.ok(
    lines.some((l) => l.startsWith('COMPOSE_PROJECT_NAME=gantry-habits-')),
    environment.stdout,
  );
  for (const l of ['FROM_DOTENV=yes', 'PORT=8080', 'TAG=2']) assert.ok(lines.includes(l), l);
});
