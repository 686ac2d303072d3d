// Build step after tsc: bundles the CLI into one CommonJS file (dist/gantry.cjs) and records a V8
// code cache for it (dist/gantry.cjs.cache) by running one representative command
// (`config -q` on scripts/bundle/warm-up.compose.yaml). Why: on a
// 2-core machine Node spends ~100 ms resolving, loading and compiling ~150 ESM files before
// gantry runs a line; one pre-compiled script removes most of that (bench/RESULTS.md, config).
// bin/gantry.js loads the bundle with the cache, and falls back to dist/cli/main.js without it.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'gantry.cjs');
await build({
  entryPoints: [join(root, 'dist', 'cli', 'main.js')],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  define: { 'import.meta.url': '__gantryMetaUrl' },
  inject: [join(root, 'scripts', 'bundle', 'meta-url.js')],
  logLevel: 'error',
});
// vm.Script compiles the bundle inside the CommonJS wrapper, where a shebang is a syntax error.
writeFileSync(out, readFileSync(out, 'utf8').replace(/^#!.*\n/, ''));
rmSync(`${out}.cache`, { force: true });
const warm = spawnSync(process.execPath, [join(root, 'bin', 'gantry.js'), '-f', join(root, 'scripts', 'bundle', 'warm-up.compose.yaml'), 'config', '-q'], {
  env: { ...process.env, GANTRY_WRITE_CODE_CACHE: '1' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (warm.status !== 0) {
  console.error('bundle-cli: the bundled CLI failed its warm-up run');
  process.exit(1);
}
