// Build step after tsc: bundles the CLI into one CommonJS file (dist/gantry.cjs) and records a V8
// code cache for it (dist/gantry.cjs.cache) by running one representative command
// (`config -q` on scripts/bundle/warm-up.compose.yaml). Why: on a
// 2-core machine Node spends ~100 ms resolving, loading and compiling ~150 ESM files before
// gantry runs a line; one pre-compiled script removes most of that (bench/RESULTS.md, config).
// bin/gantry.js loads the bundle with the cache, and falls back to dist/cli/main.js without it.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'gantry.cjs');

// commander requires node:child_process when it loads, for executable subcommands gantry never
// has; that require pulls in dgram, streams and more (≈ 13 ms of CPU of a cold `config`, measured
// A/B). The bundle gets it on first use instead. The build fails if commander changes that line.
const lazyCommanderChildProcess = {
  name: 'lazy-commander-child-process',
  setup(b) {
    b.onLoad({ filter: /commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const text = readFileSync(args.path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      if (!text.includes(eager))
        throw new Error(`${args.path}: the child_process require to defer is not there any more`);
      const lazy = "const childProcess = { get spawn() { return require('node:child_process').spawn; } };";
      return { contents: text.replace(eager, lazy), loader: 'js' };
    });
  },
};

// yaml's reader with positions only places errors, yet its ≈ 60 modules cost every command
// 4–7 ms to initialize (measured): in the bundle, src/project/precise-parser.ts requires load.ts
// on its first call, which esbuild keeps lazy. The build fails if that file changes shape.
const lazyPreciseParser = {
  name: 'lazy-precise-parser',
  setup(b) {
    b.onLoad({ filter: /dist[\\/]project[\\/]precise-parser\.js$/ }, async (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!/^export \{ parseComposeYaml \} from ["']\.\/load\.js["'];$/m.test(text))
        throw new Error(`${args.path}: not the re-export this plugin replaces any more`);
      return {
        contents:
          "export function parseComposeYaml(text, file) { return require('./load.js').parseComposeYaml(text, file); }\n",
        loader: 'js',
        resolveDir: dirname(args.path),
      };
    });
  },
};

async function bundle(entry, outfile) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    define: { 'import.meta.url': '__gantryMetaUrl' },
    inject: [join(root, 'scripts', 'bundle', 'meta-url.js')],
    plugins: [lazyCommanderChildProcess, lazyPreciseParser],
    logLevel: 'error',
  });
  // vm.Script compiles the bundle inside the CommonJS wrapper, where a shebang is a syntax error.
  // esbuild leaves non-ASCII characters in comments and regular expressions; a single one makes
  // Node decode the whole 2 MB as UTF-8 (9 ms against 4 ms for ASCII, measured) and V8 hold it as
  // a two-byte string. \uXXXX means the same character in each of those places.
  const text = readFileSync(outfile, 'utf8').replace(/^#!.*\n/, '');
  if (/[\ud800-\udfff]/.test(text))
    throw new Error(`${outfile}: characters outside the BMP; escape them in the source`);
  writeFileSync(
    outfile,
    text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  );
  rmSync(`${outfile}.cache`, { force: true });
}

// The supervisor (one per running project, spawned by up) gets its own, smaller bundle; its
// cache is recorded under the flags it runs with, from a start without a project (which loads
// every module and exits with its usage line).
const supervisor = join(root, 'dist', 'supervisor.cjs');
await bundle(join(root, 'dist', 'supervisor', 'main.js'), supervisor);
const { SUPERVISOR_V8_FLAGS } = await import(join(root, 'dist', 'supervisor', 'v8-flags.js'));
spawnSync(process.execPath, [...SUPERVISOR_V8_FLAGS.split(' '), join(root, 'bin', 'cached-script.cjs'), supervisor], {
  env: { ...process.env, GANTRY_WRITE_CODE_CACHE: '1' },
  stdio: 'ignore',
});
if (!existsSync(`${supervisor}.cache`)) {
  console.error('bundle-cli: the supervisor bundle failed its warm-up run');
  process.exit(1);
}

await bundle(join(root, 'dist', 'cli', 'main.js'), out);
const warm = spawnSync(
  process.execPath,
  [join(root, 'bin', 'gantry.js'), '-f', join(root, 'scripts', 'bundle', 'warm-up.compose.yaml'), 'config', '-q'],
  {
    env: { ...process.env, GANTRY_WRITE_CODE_CACHE: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
if (warm.status !== 0) {
  console.error('bundle-cli: the bundled CLI failed its warm-up run');
  process.exit(1);
}
