// Imports point down only (STYLE.md): runtime, network and image import none of the others or
// anything above them; plan and kube see only the model; nothing imports cli.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src');

// area → areas it may import (besides itself and common/)
const ALLOWED: Record<string, readonly string[]> = {
  cli: ['engine', 'project', 'plan', 'runtime', 'network', 'image', 'build', 'watch', 'kube', 'scaffold', 'index.ts'],
  engine: ['plan', 'project', 'runtime', 'network', 'image', 'build'],
  plan: ['project'],
  project: [],
  runtime: [],
  network: [],
  image: [],
  // build: frontend, context, cache keys and the executor, which drives the image store and the
  // runtime through their public APIs (as BuildKit drives runc); the cli calls build, never the reverse.
  build: ['image', 'runtime'],
  watch: ['engine', 'project'],
  kube: ['project'],
  // scaffold checks what it generates with the loader and the Dockerfile parser (only those: see
  // the test below), never the executor.
  scaffold: ['project', 'build'],
  common: [],
};

function* tsFiles(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* tsFiles(p);
    else if (e.name.endsWith('.ts')) yield p;
  }
}

test('src/ imports point down only', () => {
  const violations: string[] = [];
  for (const file of tsFiles(SRC)) {
    const area = relative(SRC, file).split('/')[0]!;
    const allowed = ALLOWED[area];
    if (!allowed) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = relative(SRC, resolve(dirname(file), m[1]!)).split('/')[0]!;
      if (target === area || target === 'common') continue;
      if (!allowed.includes(target)) violations.push(`${relative(SRC, file)} imports ${m[1]}`);
    }
  }
  assert.deepEqual(violations, []);
});

test('scaffold uses only the parsing half of build (Dockerfile parser, .dockerignore matcher)', () => {
  const bad: string[] = [];
  for (const file of tsFiles(join(SRC, 'scaffold'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = relative(SRC, resolve(dirname(file), m[1]!));
      if (target.startsWith('build/') && !/^build\/(dockerfile|context)\//.test(target)) bad.push(`${relative(SRC, file)} imports ${m[1]}`);
    }
  }
  assert.deepEqual(bad, []);
});
