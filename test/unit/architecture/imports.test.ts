// Imports point down only (STYLE.md): the CLI goes through the engine (and reads the model only for
// `config`); runtime, network and image import none of the others or anything above them; plan and
// kube see only the model; nothing imports cli. The walls are written twice, here and in each
// src/ folder's README.md ("May import: …" lines), and this test holds the two to agreement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src');

// area → areas it may import (besides itself and common/)
const ALLOWED: Record<string, readonly string[]> = {
  // The engine is the only way in; kube and scaffold are stages of their own, called by their commands.
  cli: ['engine', 'kube', 'watch', 'scaffold'],
  engine: ['plan', 'project', 'runtime', 'network', 'image', 'build', 'supervisor'],
  // The per-project supervisor: a program of its own that the engine starts; it never imports the engine.
  supervisor: ['runtime', 'network'],
  plan: ['project'],
  project: [],
  runtime: [],
  network: [],
  image: [],
  // build: frontend, context, cache keys and the executor, which drives the image store and the
  // runtime through their public APIs (as BuildKit drives runc); the engine calls build, never the reverse.
  build: ['image', 'runtime'],
  watch: ['engine', 'project'],
  kube: ['project'],
  // scaffold checks what it generates with the loader and the Dockerfile parser (only those: see
  // the test below), never the executor.
  scaffold: ['project', 'build'],
  common: [],
};

// area → its files (relative to the area) that may also import some areas: `config` prints the model.
const FILE_ALLOWED: Record<string, Readonly<Record<string, readonly string[]>>> = {
  cli: { 'commands/config.ts': ['project'], 'render/config-output.ts': ['project'] },
};

// area → its doors: the only files of it that the areas in DOOR_KEEPERS may import (statically, lazily
// or for types). A lazy import is a speed trick, and it stays behind the area's facade: a command
// that wants a module on first use imports the facade with import(), never a deep file.
const DOORS: Record<string, readonly string[]> = {
  // api/: the Node API's test environments, a facade of their own so the CLI never loads them;
  // async-dispose.ts is the polyfill src/index.ts loads first; image-build.ts is the light door of
  // `image build` and `builder prune`, which need none of the project verbs index.ts loads; exec-run.ts
  // that of `exec` and `container run` (their own bundle, issue 20), down.ts that of `down`.
  engine: ['index.ts', 'image-build.ts', 'exec-run.ts', 'down.ts', 'api/index.ts', 'api/async-dispose.ts'],
  // model.ts is the model's types, which every reader of the model needs without the loader.
  project: ['index.ts', 'model.ts'],
};

// The importers held to the doors. (engine, plan, build, supervisor and scaffold still reach deep
// files of the areas below them.)
const DOOR_KEEPERS: readonly string[] = ['cli', 'watch', 'kube', 'index.ts'];

interface Source {
  readonly path: string; // relative to src/
  readonly text: string;
}

function* tsFiles(dir: string): Generator<Source> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* tsFiles(p);
    else if (e.name.endsWith('.ts')) yield { path: relative(SRC, p), text: readFileSync(p, 'utf8') };
  }
}

/** Every relative import (static, dynamic, `import type`, `typeof import()`) that crosses a wall. */
function violations(files: Iterable<Source>): string[] {
  const out: string[] = [];
  for (const f of files) {
    const [area = '', ...rest] = f.path.split('/');
    const allowed = ALLOWED[area];
    if (!allowed) continue;
    const extra = FILE_ALLOWED[area]?.[rest.join('/')] ?? [];
    for (const m of f.text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = relative(SRC, resolve(SRC, dirname(f.path), m[1]!)).split('/')[0]!;
      if (target === area || target === 'common') continue;
      if (!allowed.includes(target) && !extra.includes(target)) out.push(`${f.path} imports ${m[1]}`);
    }
  }
  return out;
}

/** Every relative import from a door keeper into another area that does not go through a door. */
function pastTheDoors(files: Iterable<Source>): string[] {
  const out: string[] = [];
  for (const f of files) {
    if (!DOOR_KEEPERS.includes(f.path.split('/')[0]!)) continue;
    for (const m of f.text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const [area = '', ...rest] = relative(SRC, resolve(SRC, dirname(f.path), m[1]!)).split('/');
      const doors = DOORS[area];
      if (doors && area !== f.path.split('/')[0] && !doors.includes(rest.join('/')))
        out.push(`${f.path} imports ${m[1]}`);
    }
  }
  return out;
}

test('the cli, watch, kube and the Node API reach the engine and the project only through their facades', () => {
  assert.deepEqual(pastTheDoors(tsFiles(SRC)), []);
});

test('the door check catches a deep import, static, lazy or for types', () => {
  // [importing file, import line, the deep path it should report (none: through a door)]
  const cases: readonly (readonly [string, string, string?])[] = [
    ['cli/commands/x.ts', "await import('../../engine/commands/log-merge.ts');", '../../engine/commands/log-merge.ts'],
    ['cli/commands/x.ts', "import { hostProbe } from '../../engine/doctor/index.ts';", '../../engine/doctor/index.ts'],
    [
      'cli/render/x.ts',
      "import type { L } from '../../engine/commands/stream-logs.ts';",
      '../../engine/commands/stream-logs.ts',
    ],
    ['cli/commands/x.ts', "import { validateProject } from '../../project/validate.ts';", '../../project/validate.ts'],
    ['watch/x.ts', "import { loadRaw } from '../project/load-raw.ts';", '../project/load-raw.ts'],
    ['cli/commands/x.ts', "const e = await import('../../engine/index.ts');"],
    ['cli/commands/x.ts', "import type { Project } from '../../project/model.ts';"],
    ['cli/commands/x.ts', "import { x } from '../render/y.ts';"],
    ['engine/x.ts', "import '../project/load-raw.ts';"], // not a door keeper (yet)
  ];
  for (const [path, text, deep] of cases)
    assert.deepEqual(pastTheDoors([{ path, text }]), deep ? [`${path} imports ${deep}`] : [], text);
});

test('src/ imports point down only', () => {
  assert.deepEqual(violations(tsFiles(SRC)), []);
});

test('the test catches a command that imports runtime, network or image (statically, lazily or for types)', () => {
  const command = (text: string): Source[] => [{ path: 'cli/commands/x.ts', text }];
  assert.deepEqual(violations(command("import { createRuntime } from '../../runtime/index.ts';")), [
    'cli/commands/x.ts imports ../../runtime/index.ts',
  ]);
  assert.deepEqual(violations(command("const m = await import('../../network/index.ts');")), [
    'cli/commands/x.ts imports ../../network/index.ts',
  ]);
  assert.deepEqual(violations(command("import type { LocalImage } from '../../image/index.ts';")), [
    'cli/commands/x.ts imports ../../image/index.ts',
  ]);
  assert.deepEqual(violations(command("import { loadProject } from '../../project/index.ts';")), [
    'cli/commands/x.ts imports ../../project/index.ts',
  ]);
  assert.deepEqual(
    violations([{ path: 'cli/commands/config.ts', text: "import { loadRaw } from '../../project/index.ts';" }]),
    [],
  );
  assert.deepEqual(violations(command("import { openProject } from '../../engine/index.ts';")), []);
  assert.deepEqual(violations([{ path: 'runtime/x.ts', text: "import '../network/index.ts';" }]), [
    'runtime/x.ts imports ../network/index.ts',
  ]);
});

/** A README's walls: `May import: a, b` (always with common, or `nothing` for common itself) and
 *  `May import in FILE, FILE: a, b` for the files that may reach further. */
function readmeWalls(text: string): { areas: string[]; files: Record<string, string[]> } | undefined {
  const list = (s: string): string[] =>
    s
      .split(',')
      .map((w) => w.trim().replace(/`/g, ''))
      .filter((w) => w && w !== 'nothing' && w !== 'common')
      .sort();
  const main = /^May import: (.+)$/m.exec(text);
  if (!main) return undefined;
  const files: Record<string, string[]> = {};
  for (const m of text.matchAll(/^May import in (.+?): (.+)$/gm))
    for (const f of m[1]!.split(',')) files[f.trim().replace(/`/g, '')] = list(m[2]!);
  return { areas: list(main[1]!), files };
}

test('each src/ folder has a README whose "May import" lines agree with this test', () => {
  const problems: string[] = [];
  for (const e of readdirSync(SRC, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const readme = join(SRC, e.name, 'README.md');
    if (!existsSync(readme)) {
      problems.push(`src/${e.name}: no README.md`);
      continue;
    }
    const walls = readmeWalls(readFileSync(readme, 'utf8'));
    if (!walls) problems.push(`src/${e.name}/README.md: no "May import:" line`);
    else if (!ALLOWED[e.name]) problems.push(`src/${e.name}: not in the test's ALLOWED table`);
    else {
      const want = {
        areas: [...ALLOWED[e.name]!].sort(),
        files: Object.fromEntries(Object.entries(FILE_ALLOWED[e.name] ?? {}).map(([f, a]) => [f, [...a].sort()])),
      };
      try {
        assert.deepEqual(walls, want);
      } catch {
        problems.push(`src/${e.name}/README.md says ${JSON.stringify(walls)}, the test ${JSON.stringify(want)}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('the README check reads the lines it is meant to', () => {
  assert.deepEqual(
    readmeWalls('# x\n\nMay import: `engine`, kube, common\nMay import in commands/config.ts: project\n'),
    { areas: ['engine', 'kube'], files: { 'commands/config.ts': ['project'] } },
  );
  assert.deepEqual(readmeWalls('May import: nothing'), { areas: [], files: {} });
  assert.equal(readmeWalls('It may import project.'), undefined);
});

test('scaffold uses only the parsing half of build (Dockerfile parser, .dockerignore matcher)', () => {
  const bad: string[] = [];
  for (const file of tsFiles(join(SRC, 'scaffold'))) {
    for (const m of file.text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = relative(SRC, resolve(SRC, dirname(file.path), m[1]!));
      if (target.startsWith('build/') && !/^build\/(dockerfile|context)\//.test(target))
        bad.push(`${file.path} imports ${m[1]}`);
    }
  }
  assert.deepEqual(bad, []);
});
