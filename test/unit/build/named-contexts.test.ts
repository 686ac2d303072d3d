// Named contexts in the stage graph (a stage of the same name is replaced; COPY --from and RUN
// --mount from= a name that is neither a stage nor an image reference resolve to the context),
// the --build-context value forms, and the cache directory format (cache_to → cache_from).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { parseDockerfile } from '../../../src/build/dockerfile/parse.ts';
import { stageGraph, stagesForTarget } from '../../../src/build/graph/stage-graph.ts';
import { globalScope } from '../../../src/build/resolve/global-args.ts';
import { parseNamedContexts } from '../../../src/build/exec/named-contexts.ts';
import { localCacheDir, readCacheDir, writeCacheDir } from '../../../src/build/exec/cache-transfer.ts';

const amd64 = { os: 'linux', architecture: 'amd64' } as const;

test('a named context replaces the stage of its name and is what FROM, --from and mount from= use', () => {
  const df = parseDockerfile(`FROM alpine AS base
RUN exit 1
FROM base AS app
COPY --from=Docs_1 / /docs
RUN --mount=from=tool,target=/t true
`);
  const g = stageGraph(df, globalScope(df, new Map(), amd64), new Set(['base', 'docs_1', 'tool']));
  assert.deepEqual(
    g.nodes[1]!.refs.map((r) => (r.kind === 'image' ? `image ${r.ref}` : `stage ${r.index}`)),
    ['image base', 'image Docs_1', 'image tool'],
  );
  assert.deepEqual([...stagesForTarget(df, g)], [1], 'the replaced stage is not built');
  assert.throws(() => stageGraph(df, globalScope(df, new Map(), amd64)), /--from=Docs_1: no stage of that name/);
});

test('--build-context values: a directory, docker-image://, scratch; URLs and bad names refused', () => {
  const m = parseNamedContexts(
    new Map([
      ['Docs', './docs'],
      ['alpine:3.20', 'docker-image://busybox:1'],
      ['empty', 'docker-image://scratch'],
    ]),
    '/work',
  );
  assert.deepEqual(m.get('docs'), { kind: 'dir', path: '/work/docs' });
  assert.deepEqual(m.get('alpine:3.20'), { kind: 'image', ref: 'busybox:1' });
  assert.deepEqual(m.get('empty'), { kind: 'scratch' });
  assert.throws(() => parseNamedContexts(new Map([['x', 'https://h/r.git']]), '/'), /only local directories/);
  assert.throws(() => parseNamedContexts(new Map([['x', 'git@github.com:a/b']]), '/'), /only local directories/);
  assert.throws(() => parseNamedContexts(new Map([['scratch', '.']]), '/'), /reserved/);
  assert.throws(() => parseNamedContexts(new Map([['-x', '.']]), '/'), /stage name or an image reference/);
});

test('cache specs: type=local only, src for from, dest for to', () => {
  assert.equal(localCacheDir('type=local,src=c', 'from', '/p'), '/p/c');
  assert.equal(localCacheDir('type=local,dest=/abs,mode=max', 'to', '/p'), '/abs');
  assert.throws(() => localCacheDir('type=registry,ref=x', 'from', '/'), /only type=local/);
  assert.throws(() => localCacheDir('type=local', 'to', '/'), /needs dest=DIR/);
});

test('a cache directory written by cache_to is read back by cache_from; a corrupt manifest is a warning', async () => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-cache-dir-${process.pid}-`));
  try {
    const blob = join(dir, 'layer.tar.gz');
    writeFileSync(blob, 'pretend gzip');
    const digest = `sha256:${createHash('sha256').update('pretend gzip').digest('hex')}`;
    const layer = {
      diffId: `sha256:${'1'.repeat(64)}`,
      descriptor: { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest, size: 12 },
      dir: '/nowhere',
    };
    const key = `sha256:${'2'.repeat(64)}`;
    const out = join(dir, 'cache');
    await writeCacheDir(out, new Map([[key, { layer, created: '2026-01-01T00:00:00Z' }]]), async () => blob);
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as { manifests: unknown[] };
    assert.equal(index.manifests.length, 1);
    const warnings: string[] = [];
    const got = await readCacheDir(out, (w) => warnings.push(w));
    assert.equal(warnings.length, 0, warnings.join(' '));
    assert.equal(got.get(key)?.diffId, layer.diffId);
    assert.equal(got.get(key)?.file, join(out, 'blobs', 'sha256', digest.slice(7)));
    const m = (index.manifests[0] as { digest: string }).digest.slice(7);
    writeFileSync(join(out, 'blobs', 'sha256', m), '{}');
    assert.equal((await readCacheDir(out, (w) => warnings.push(w))).size, 0);
    assert.match(warnings[0] ?? '', /nothing imported: .*corrupt/);
    assert.equal((await readCacheDir(join(dir, 'none'), (w) => warnings.push(w))).size, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
