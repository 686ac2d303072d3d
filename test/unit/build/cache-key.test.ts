// Cache keys: a changed copied file changes the COPY's key and every key after it; an ignored
// file, a touch, a reformatted line or a proxy arg changes nothing; an ARG value misses at first use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseKey, stepKey } from '../../../src/build/cache/cache-key.ts';
import { contentDigests, fileSetDigest } from '../../../src/build/context/content-hash.ts';
import { IgnoreMatcher, readIgnoreFile } from '../../../src/build/context/dockerignore.ts';
import { selectSources } from '../../../src/build/context/select-sources.ts';
import { StatCache } from '../../../src/build/context/stat-cache.ts';
import { walkContext } from '../../../src/build/context/walk.ts';
import { parseDockerfile } from '../../../src/build/dockerfile/parse.ts';
import { resolveDockerfile } from '../../../src/build/resolve/resolve.ts';

const amd64 = { os: 'linux', architecture: 'amd64' } as const;
const DOCKERFILE = 'FROM base\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nCOPY . .\nCMD ["node", "index.js"]\n';

/** Every step's key for the Dockerfile over the context, as an executor would chain them. */
async function keys(ctx: string, text = DOCKERFILE, buildArgs: Record<string, string> = {}): Promise<string[]> {
  const df = parseDockerfile(text);
  const ignore = new IgnoreMatcher(readIgnoreFile('node_modules\n*.log\n'));
  const entries = await walkContext(ctx, ignore);
  const digests = await contentDigests(ctx, entries, new StatCache());
  const stage = resolveDockerfile(df, { platform: amd64, buildArgs: new Map(Object.entries(buildArgs)) }).stages[0]!;
  let key = baseKey({ kind: 'image', digest: 'sha256:base' });
  const out: string[] = [];
  for (const step of stage.steps) {
    const ins = step.instruction;
    const content =
      ins.kind === 'COPY'
        ? fileSetDigest(
            selectSources(
              entries,
              ins.sources.flatMap((s) => (s.kind === 'path' ? [s.path] : [])),
            ),
            digests,
          )
        : undefined;
    key = stepKey(key, step, { content });
    out.push(key);
  }
  return out;
}

function context(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-key-'));
  mkdirSync(join(dir, 'node_modules/x'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"name":"app"}');
  writeFileSync(join(dir, 'index.js'), 'console.log(1)');
  writeFileSync(join(dir, 'debug.log'), 'log 1');
  writeFileSync(join(dir, 'node_modules/x/i.js'), 'dep 1');
  return dir;
}

test('keys are stable across runs', async (t) => {
  const ctx = context();
  t.after(() => rmSync(ctx, { recursive: true }));
  assert.deepEqual(await keys(ctx), await keys(ctx));
});

test('a changed copied file changes that COPY and the steps after it, not those before', async (t) => {
  const ctx = context();
  t.after(() => rmSync(ctx, { recursive: true }));
  const before = await keys(ctx);
  writeFileSync(join(ctx, 'index.js'), 'console.log(2)');
  const after = await keys(ctx);
  assert.deepEqual(after.slice(0, 3), before.slice(0, 3)); // WORKDIR, COPY package.json, RUN npm ci: cached
  assert.notEqual(after[3], before[3]); // COPY . .
  assert.notEqual(after[4], before[4]); // CMD after it
  writeFileSync(join(ctx, 'package.json'), '{"name":"app2"}');
  const third = await keys(ctx);
  assert.notEqual(third[1], after[1]);
  assert.notEqual(third[2], after[2]);
});

test('an ignored file changing changes no key', async (t) => {
  const ctx = context();
  t.after(() => rmSync(ctx, { recursive: true }));
  const before = await keys(ctx);
  writeFileSync(join(ctx, 'debug.log'), 'log 2 — much longer now');
  writeFileSync(join(ctx, 'node_modules/x/i.js'), 'dep 2');
  assert.deepEqual(await keys(ctx), before);
});

test('reformatting a line (spaces, continuation, case) keeps the key', async (t) => {
  const ctx = context();
  t.after(() => rmSync(ctx, { recursive: true }));
  const other = DOCKERFILE.replace('COPY package.json ./', 'copy   package.json \\\n   ./').replace(
    'FROM base',
    '# hi\nFROM base',
  );
  assert.deepEqual(await keys(ctx, other), await keys(ctx));
});

test('an ARG value misses at its first use, not at its declaration; proxy args never', async (t) => {
  const ctx = context();
  t.after(() => rmSync(ctx, { recursive: true }));
  const text = 'FROM base\nARG V=1\nCOPY package.json ./\nRUN echo\nLABEL v=$V\n';
  const a = await keys(ctx, text);
  const b = await keys(ctx, text, { V: '2' });
  assert.deepEqual(b.slice(0, 2), a.slice(0, 2)); // ARG, COPY
  assert.notEqual(b[2], a[2]); // RUN: V is in its environment
  const d = await keys(ctx, text.replace('V=1', 'V=3')); // a changed default, same rule
  assert.deepEqual(d.slice(0, 2), a.slice(0, 2));
  assert.notEqual(d[2], a[2]);
  const c = await keys(ctx, text, { HTTP_PROXY: 'http://proxy:3128', https_proxy: 'x' });
  assert.deepEqual(c, a);
});

test('an ENV change misses from there on; a different base image changes everything', async (t) => {
  const ctx = context();
  t.after(() => rmSync(ctx, { recursive: true }));
  const a = await keys(ctx, 'FROM base\nRUN a\nENV X=1\nRUN b\n');
  const b = await keys(ctx, 'FROM base\nRUN a\nENV X=2\nRUN b\n');
  assert.equal(a[0], b[0]);
  assert.notEqual(a[1], b[1]);
  assert.notEqual(a[2], b[2]);
  assert.notEqual(baseKey({ kind: 'image', digest: 'sha256:1' }), baseKey({ kind: 'image', digest: 'sha256:2' }));
});
