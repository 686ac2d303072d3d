// Every built-in template, rendered by `gantry init` (in process) with its defaults, with each
// alternative of each choice, and with every answer changed at once: no placeholder survives,
// `gantry config` accepts the compose file, every Dockerfile parses without a warning and has
// a non-root runtime stage, .dockerignore keeps secrets and build output out and sources in,
// and a second init without --force changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runArgv } from '../../../src/cli/run-argv.ts';
import { parseDockerfile } from '../../../src/build/index.ts';
import { IgnoreMatcher, readIgnoreFile } from '../../../src/build/index.ts';
import { cases, init, tempDir } from '../../helpers/scaffold-cases.ts';

/** Build output and dependency folders each language must keep out of its context. */
const EXCLUDED: Readonly<Record<string, readonly string[]>> = {
  node: ['node_modules/x/index.js'],
  python: ['.venv/bin/python', '__pycache__/a.pyc'],
  go: ['vendor/x/y.go'],
  rust: ['target/release/app'],
  java: ['target/app.jar', 'build/libs/app.jar'],
  dotnet: ['bin/Release/a.dll', 'obj/x'],
  php: ['vendor/autoload.php'],
  static: ['node_modules/x/index.js'],
};
const ALWAYS_OUT = ['.env', '.env.local', '.git/HEAD'];
const ALWAYS_IN = ['.env.example', 'src/main.txt', 'public/index.html'];

const files = (dir: string): string[] =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
const read = (dir: string, f: string): string => readFileSync(join(dir, f), 'utf8');
const snapshot = (dir: string): string[] =>
  files(dir).map((f) => `${f} ${statSync(join(dir, f)).mtimeMs} ${read(dir, f)}`);
const NAMED = ['Dockerfile', 'compose.yaml', '.dockerignore', '.env', '.env.example', 'README.md'];

interface Service {
  healthcheck?: unknown;
  develop?: { watch?: unknown[] };
  build?: unknown;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

for (const c of cases()) {
  test(`template ${c.template} (${c.label}): renders, loads, parses, ignores, re-runs as a no-op`, async () => {
    const dir = tempDir(`${c.template}-${c.label}`);
    try {
      const first = await init(dir, c.template, c.set);
      assert.equal(first.exitCode, 0, first.stderr);
      const written = files(dir);
      for (const f of NAMED) assert.ok(written.includes(f), `${f} written`);
      for (const f of written) assert.doesNotMatch(read(dir, f), /\{\{|\{%|%\}|\}\}/, `${f}: a placeholder survived`);

      const config = await runArgv(['config', '-q'], { cwd: dir, env: {} });
      assert.equal(config.exitCode, 0, config.stderr);
      const compose = parse(readFileSync(join(dir, 'compose.yaml'), 'utf8')) as Compose;
      for (const [name, svc] of Object.entries(compose.services)) {
        if (name !== 'tests' && name !== 'worker') assert.ok(svc.healthcheck, `services.${name} has a healthcheck`);
      }
      const watch = (c.set['watch'] ?? 'true') === 'true';
      assert.equal(Array.isArray(compose.services['app']?.develop?.watch), watch, 'develop.watch follows the answer');
      const volumes = compose.volumes ?? {};
      if (compose.services['db']) assert.ok(Object.hasOwn(volumes, 'db-data'), 'the database data: a named volume');
      if (compose.services['cache']) assert.ok(Object.hasOwn(volumes, 'cache-data'), 'the cache data: a named volume');

      const df = parseDockerfile(readFileSync(join(dir, 'Dockerfile'), 'utf8'));
      assert.deepEqual(df.warnings, []);
      const runtime = df.stages.find((s) => s.from.stageName === 'runtime');
      assert.ok(runtime, 'a runtime stage');
      const users = runtime.instructions.filter((i) => i.kind === 'USER').map((i) => i.source);
      const last = users.at(-1);
      const root = last === undefined || /USER\s+(root|0)\b/.test(last);
      assert.ok(!root, `runtime runs as non-root (${users.join(', ')})`);
      const text = readFileSync(join(dir, 'Dockerfile'), 'utf8');
      const language = /files of (\w+)/.exec(first.stdout)?.[1] ?? c.template;
      if (language !== 'static') {
        assert.ok(df.stages.length >= 2, 'multi-stage');
        assert.match(text, /--mount=type=cache,target=/, 'a cache mount for the package manager');
      }

      const ignore = new IgnoreMatcher(readIgnoreFile(readFileSync(join(dir, '.dockerignore'), 'utf8')));
      const out = [...ALWAYS_OUT, ...(EXCLUDED[language] ?? [])];
      for (const p of out) assert.ok(ignore.excludes(p), `.dockerignore excludes ${p}`);
      for (const p of ALWAYS_IN) assert.ok(!ignore.excludes(p), `.dockerignore keeps ${p}`);

      assert.equal(statSync(join(dir, '.env')).mode & 0o777, 0o600, '.env is private');
      const env = readFileSync(join(dir, '.env'), 'utf8');
      const secret = /POSTGRES_PASSWORD=(.*)/.exec(env)?.[1];
      if (secret !== undefined) assert.ok(!read(dir, '.env.example').includes(secret), '.env.example holds no secret');

      const before = snapshot(dir);
      const second = await init(dir, c.template, c.set);
      assert.equal(second.exitCode, 0, second.stderr);
      assert.doesNotMatch(second.stdout, /^(created|overwrote) /m);
      assert.deepEqual(snapshot(dir), before, 'a second init without --force changes nothing');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
