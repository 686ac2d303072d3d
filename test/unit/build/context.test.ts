// The build context on disk: the walk keeps symlinks as links (never followed out of the context),
// honours .dockerignore (and <Dockerfile>.dockerignore first), and digests are computed once per
// unchanged file thanks to the stat cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentDigests, fileSetDigest } from '../../../src/build/context/content-hash.ts';
import { IgnoreMatcher } from '../../../src/build/context/dockerignore.ts';
import { loadIgnorePatterns } from '../../../src/build/context/ignore-file.ts';
import { selectSources } from '../../../src/build/context/select-sources.ts';
import { StatCache } from '../../../src/build/context/stat-cache.ts';
import { walkContext } from '../../../src/build/context/walk.ts';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-ctx-'));
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), content);
  }
  return dir;
}

test('a symlink pointing out of the context is an entry with its target, never followed', async (t) => {
  const outside = tree({ 'secret.txt': 'host secret', 'sub/deep.txt': 'deep' });
  const ctx = tree({ 'app.js': 'x' });
  t.after(() => {
    rmSync(outside, { recursive: true });
    rmSync(ctx, { recursive: true });
  });
  symlinkSync(join(outside, 'secret.txt'), join(ctx, 'leak'));
  symlinkSync(outside, join(ctx, 'leakdir'));
  const entries = await walkContext(ctx);
  assert.deepEqual(
    entries.map((e) => [e.path, e.type, e.linkTarget]),
    [
      ['app.js', 'file', undefined],
      ['leak', 'symlink', join(outside, 'secret.txt')],
      ['leakdir', 'symlink', outside],
    ],
  );
  const digests = await contentDigests(ctx, entries, new StatCache());
  assert.deepEqual([...digests.keys()], ['app.js']); // the link's target content is never read
});

test('excluded files and directories are left out; a ! exception keeps its directory', async (t) => {
  const ctx = tree({
    'a.txt': '1',
    'node_modules/x/i.js': '2',
    'logs/a.log': '3',
    'logs/keep.log': '4',
    'src/b.ts': '5',
  });
  t.after(() => rmSync(ctx, { recursive: true }));
  const m = new IgnoreMatcher(['node_modules', 'logs', '!logs/keep.log']);
  const entries = await walkContext(ctx, m);
  assert.deepEqual(
    entries.map((e) => e.path),
    ['a.txt', 'logs', 'logs/keep.log', 'src', 'src/b.ts'],
  );
});

test('<Dockerfile>.dockerignore wins over .dockerignore', async (t) => {
  const ctx = tree({
    '.dockerignore': 'a\n',
    'docker/app.Dockerfile': 'FROM x',
    'docker/app.Dockerfile.dockerignore': 'b\n!c\n',
  });
  t.after(() => rmSync(ctx, { recursive: true }));
  assert.deepEqual(await loadIgnorePatterns(ctx, join(ctx, 'docker/app.Dockerfile')), {
    file: join(ctx, 'docker/app.Dockerfile.dockerignore'),
    patterns: ['b', '!c'],
  });
  assert.deepEqual((await loadIgnorePatterns(ctx, join(ctx, 'Dockerfile'))).patterns, ['a']);
  assert.deepEqual(await loadIgnorePatterns(join(ctx, 'docker')), { file: undefined, patterns: [] });
});

test('a second walk of an unchanged context reads no file: every digest comes from the stat cache', async (t) => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 200; i++) files[`dir${i % 10}/f${i}.txt`] = `content ${i}`;
  const ctx = tree(files);
  const cacheFile = join(ctx, '..', `${ctx.split('/').pop()!}-stat.json`);
  t.after(() => {
    rmSync(ctx, { recursive: true });
    rmSync(cacheFile, { force: true });
  });
  const cache = new StatCache();
  const first = await contentDigests(ctx, await walkContext(ctx), cache);
  assert.deepEqual([cache.hits, cache.misses], [0, 200]);
  await cache.save(cacheFile);
  const warm = await StatCache.load(cacheFile); // a new build process
  const second = await contentDigests(ctx, await walkContext(ctx), warm);
  assert.deepEqual([warm.hits, warm.misses], [200, 0]);
  assert.deepEqual(second, first);
  // A changed file (same size, new mtime) is re-read; the others are not.
  writeFileSync(join(ctx, 'dir3/f3.txt'), 'CONTENT 3');
  const third = await contentDigests(ctx, await walkContext(ctx), warm);
  assert.deepEqual([warm.hits, warm.misses], [399, 1]);
  assert.notEqual(third.get('dir3/f3.txt'), first.get('dir3/f3.txt'));
});

test('a build that read every digest from the stat cache does not write the cache file again', async (t) => {
  const ctx = tree({ 'a.txt': 'a', 'b/c.txt': 'c' });
  const cacheFile = join(ctx, '..', `${ctx.split('/').pop()!}-stat.json`);
  t.after(() => {
    rmSync(ctx, { recursive: true });
    rmSync(cacheFile, { force: true });
  });
  const cold = new StatCache();
  await contentDigests(ctx, await walkContext(ctx), cold);
  await cold.save(cacheFile);
  const ino = statSync(cacheFile).ino;
  const warm = await StatCache.load(cacheFile);
  await contentDigests(ctx, await walkContext(ctx), warm);
  await warm.save(cacheFile);
  assert.equal(statSync(cacheFile).ino, ino, 'an unchanged cache is not rewritten (write + rename makes a new inode)');
  writeFileSync(join(ctx, 'a.txt'), 'A');
  await contentDigests(ctx, await walkContext(ctx), warm);
  await warm.save(cacheFile);
  assert.notEqual(statSync(cacheFile).ino, ino, 'a new digest is saved');
  const again = await StatCache.load(cacheFile);
  await contentDigests(ctx, await walkContext(ctx), again);
  assert.deepEqual([again.hits, again.misses], [2, 0]);
});

test('the set digest changes with content, mode and link target; not with mtime alone', async (t) => {
  const ctx = tree({ 'a.txt': 'a', 'b/c.txt': 'c' });
  t.after(() => rmSync(ctx, { recursive: true }));
  const digest = async (): Promise<string> => {
    const entries = await walkContext(ctx);
    return fileSetDigest(entries, await contentDigests(ctx, entries, new StatCache()));
  };
  const d1 = await digest();
  utimesSync(join(ctx, 'a.txt'), new Date(2000, 1, 1), new Date(2000, 1, 1));
  assert.equal(await digest(), d1);
  writeFileSync(join(ctx, 'a.txt'), 'A');
  const d2 = await digest();
  assert.notEqual(d2, d1);
  symlinkSync('a.txt', join(ctx, 'l'));
  const d3 = await digest();
  assert.notEqual(d3, d2);
});

test('COPY source selection: paths, directories, Go globs', async (t) => {
  const ctx = tree({
    'package.json': '{}',
    'package-lock.json': '{}',
    'src/a.ts': '',
    'src/lib/b.ts': '',
    'README.md': '',
  });
  t.after(() => rmSync(ctx, { recursive: true }));
  const entries = await walkContext(ctx);
  const sel = (...s: string[]): string[] => selectSources(entries, s).map((e) => e.path);
  assert.deepEqual(sel('package*.json'), ['package-lock.json', 'package.json']);
  assert.deepEqual(sel('./src'), ['src', 'src/a.ts', 'src/lib', 'src/lib/b.ts']);
  assert.deepEqual(sel('/src/*.ts'), ['src/a.ts']);
  assert.deepEqual(sel('.').length, entries.length);
});

test('a .dockerignore may exclude the Dockerfile and itself: both are still read, COPY no longer sees them', async (t) => {
  const ctx = tree({
    Dockerfile: 'FROM a\nCOPY . /app\n',
    '.dockerignore': 'Dockerfile\n.dockerignore\n',
    'app.js': '1',
  });
  t.after(() => rmSync(ctx, { recursive: true }));
  const ignore = await loadIgnorePatterns(ctx, join(ctx, 'Dockerfile'));
  assert.deepEqual(ignore.patterns, ['Dockerfile', '.dockerignore']);
  const entries = await walkContext(ctx, new IgnoreMatcher(ignore.patterns));
  assert.deepEqual(
    entries.map((e) => e.path),
    ['app.js'],
  );
  const kept = await walkContext(ctx, new IgnoreMatcher(['*.md']));
  assert.deepEqual(
    kept.map((e) => e.path),
    ['.dockerignore', 'Dockerfile', 'app.js'],
  );
});
