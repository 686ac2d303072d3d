// The bundles' parts apart (scripts/bundle/apart.mjs), on a bundle of four small modules: a part of two
// modules is one file, run once, whose modules share the bundle's instance of what it keeps (one error
// class); a file two bundles share must be the same build for both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { bundleWithParts, type Part } from '../../../scripts/bundle/apart.mjs';
import { packageRoot } from '../../../src/common/package-root.ts';

const cachedScript = join(packageRoot(), 'bin', 'cached-script.cjs');

/** A directory of modules (name → text), the test's cwd while it builds; removed after. */
async function inDir<T>(files: Readonly<Record<string, string>>, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-bundle-parts-'));
  const cwd = process.cwd();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  process.chdir(dir);
  try {
    return await fn(dir);
  } finally {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
}

const bundle = async (entry: string, outfile: string, plugins: readonly unknown[]) =>
  (
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      metafile: true,
      logLevel: 'silent',
      plugins: plugins as Plugin[],
    })
  ).metafile;

const MODULES = {
  'errors.js': 'export class Oops extends Error {}\n',
  'a.js':
    "import { Oops } from './errors.js';\nglobalThis.partRuns = (globalThis.partRuns ?? 0) + 1;\nexport const a = () => new Oops('a');\n",
  'b.js': "import { Oops } from './errors.js';\nexport const b = () => new Oops('b');\n",
  'main.js':
    "import { Oops } from './errors.js';\n" +
    'export async function run() {\n' +
    "  const { a } = await import('./a.js');\n  const { b } = await import('./b.js');\n" +
    '  return [a() instanceof Oops, b() instanceof Oops, globalThis.partRuns];\n}\n',
  'alone.js': "export const run = async () => [(await import('./a.js')).a(), (await import('./b.js')).b()];\n",
};
const AB: Part = { name: 'ab', match: /[\\/][ab]\.js$/ };

test('a part of two modules is one file, run once, sharing the error class kept in the bundle', async () => {
  await inDir(MODULES, async (dir) => {
    const files = await bundleWithParts(join(dir, 'main.js'), join(dir, 'main.cjs'), [AB], bundle, cachedScript);
    assert.deepEqual(files, [join(dir, 'main-ab.cjs')]);
    assert.equal(readFileSync(join(dir, 'main.cjs'), 'utf8').includes("new Oops('a')"), false);
    const { run } = createRequire(import.meta.url)(join(dir, 'main.cjs')) as { run: () => Promise<unknown> };
    assert.deepEqual(await run(), [true, true, 1]);
  });
});

test('a file two bundles share must be the same build for both', async () => {
  await inDir(MODULES, async (dir) => {
    const shared = { ...AB, file: 'shared-ab.cjs' };
    const one = (entry: string) =>
      bundleWithParts(join(dir, entry), join(dir, entry.replace('.js', '.cjs')), [shared], bundle, cachedScript);
    assert.deepEqual(await one('main.js'), [join(dir, 'shared-ab.cjs')]);
    assert.deepEqual(await one('main.js'), [join(dir, 'shared-ab.cjs')]);
    // alone.js keeps no errors.js: its part would hold its own Oops.
    await assert.rejects(one('alone.js'), /shared-ab\.cjs: .*alone\.js's build differs from .*main\.js's/);
  });
});

test('a part that names what it takes holds its own copy of the rest (the bundle keeps no unused export)', async () => {
  const files = {
    ...MODULES,
    'words.js': "export const used = () => 'kept';\nexport const unused = () => 'tree-shaken';\n",
    'a.js':
      "import { Oops } from './errors.js';\nimport { unused } from './words.js';\n" +
      'export const a = () => new Oops(unused());\n',
    'main.js':
      "import { Oops } from './errors.js';\nimport { used } from './words.js';\n" +
      "export async function run() {\n  const { a } = await import('./a.js');\n" +
      '  return [used(), a() instanceof Oops, a().message];\n}\n',
  };
  await inDir(files, async (dir) => {
    const part: Part = { name: 'ab', match: /[\\/]a\.js$/, takes: /[\\/]errors\.js$/ };
    await bundleWithParts(join(dir, 'main.js'), join(dir, 'main.cjs'), [part], bundle, cachedScript);
    // Taking words.js too would keep its unused export in the bundle, for the part.
    assert.equal(readFileSync(join(dir, 'main.cjs'), 'utf8').includes('tree-shaken'), false);
    assert.equal(readFileSync(join(dir, 'main-ab.cjs'), 'utf8').includes('tree-shaken'), true);
    const { run } = createRequire(import.meta.url)(join(dir, 'main.cjs')) as { run: () => Promise<unknown> };
    assert.deepEqual(await run(), ['kept', true, 'tree-shaken']);
  });
});
