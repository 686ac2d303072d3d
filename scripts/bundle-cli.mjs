// Build step after tsc: bundles the CLI into one CommonJS file (dist/gantry.cjs) and records a V8
// code cache for it (dist/gantry.cjs.cache) by running one representative command
// (`config -q` on scripts/bundle/warm-up.compose.yaml). Why: on a
// 2-core machine Node spends ~100 ms resolving, loading and compiling ~150 ESM files before
// gantry runs a line; one pre-compiled script removes most of that (bench/RESULTS.md, config).
// bin/gantry.js loads the bundle with the cache, and falls back to dist/cli/main.js without it.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'gantry.cjs');

// commander requires node:child_process when it loads, for executable subcommands gantry never
// has; that require pulls in dgram, streams and more. In the bundle, commander's require of it
// resolves to a stand-in that loads the real module on first use (scripts/bundle/lazy-child-process.cjs).
// A resolve hook, not a text patch: commander's code is bundled as published; only where its import
// points changes. Measured 2026-12-05 (bench/RESULTS.md): 0–1.6 % of a cold `config -q` (0–4 ms),
// below the 5 ms a trick must earn; kept because the cold start's contract (test/e2e/cold-start.test.ts:
// config and version load no child_process or dgram) asks for it, and it costs two small files.
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(b) {
    b.onResolve({ filter: /^(?:node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)
        ? { path: join(root, 'scripts', 'bundle', 'lazy-child-process.cjs') }
        : undefined,
    );
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
    plugins: [lazyChildProcessForCommander],
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

// `image build` gets a bundle of its own (bin/gantry.js picks it for those two words). Its cache is
// recorded by a real build, so it holds a build's functions: as root, a FROM scratch build in a
// throw-away state root, run once, then again with one step more (a cache hit and a miss, both
// recorded); elsewhere (no root) `image build --help`, which records the CLI's part only.
const imageBuild = join(root, 'dist', 'gantry-image-build.cjs');
await bundle(join(root, 'dist', 'cli', 'image-build-main.js'), imageBuild);
const scratchRoot = mkdtempSync(join(tmpdir(), 'gantry-bundle-warm-up-'));
try {
  const ctx = join(scratchRoot, 'context');
  mkdirSync(ctx);
  writeFileSync(join(ctx, 'a.txt'), 'a\n');
  writeFileSync(join(ctx, 'b.txt'), 'b\n');
  writeFileSync(join(ctx, '.dockerignore'), '*.tmp\n');
  const dockerfile = (more) =>
    `FROM scratch\nARG V=1\nENV A=$V\nWORKDIR /app\nCOPY a.txt ./\n${more}LABEL v=$V\nCMD ["/app/a.txt"]\n`;
  const warmBuild = (text, write) =>
    spawnSync(process.execPath, [join(root, 'bin', 'gantry.js'), 'image', 'build', '-t', 'warm-up', '-f', '-', ctx], {
      input: text,
      env: {
        ...process.env,
        GANTRY_ROOT: join(scratchRoot, 'state'),
        ...(write ? { GANTRY_WRITE_CODE_CACHE: '1' } : {}),
      },
      stdio: ['pipe', 'ignore', 'ignore'],
    }).status === 0;
  const built =
    process.geteuid?.() === 0 && warmBuild(dockerfile(''), false) && warmBuild(dockerfile('COPY b.txt ./\n'), true);
  if (!built) {
    rmSync(`${imageBuild}.cache`, { force: true });
    const help = spawnSync(process.execPath, [join(root, 'bin', 'gantry.js'), 'image', 'build', '--help'], {
      env: { ...process.env, GANTRY_WRITE_CODE_CACHE: '1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (help.status !== 0) {
      console.error('bundle-cli: the image build bundle failed its warm-up run');
      process.exit(1);
    }
  }
} finally {
  rmSync(scratchRoot, { recursive: true, force: true });
}

// `down` gets a bundle of its own too (bin/gantry.js picks it when `down` is the first word). Its cache
// is recorded by a down of the warm-up project in a throw-away state root as root (nothing runs there,
// so it touches nothing on the host: it reads the project, takes its lock, observes, plans and prunes),
// elsewhere by `down --help`.
const downBundle = join(root, 'dist', 'gantry-down.cjs');
await bundle(join(root, 'dist', 'cli', 'down-main.js'), downBundle);
const downRoot = mkdtempSync(join(tmpdir(), 'gantry-bundle-warm-up-'));
try {
  const warmDown = (args) =>
    spawnSync(process.execPath, [join(root, 'bin', 'cached-script.cjs'), downBundle, ...args], {
      env: { ...process.env, GANTRY_ROOT: join(downRoot, 'state'), GANTRY_WRITE_CODE_CACHE: '1' },
      stdio: 'ignore',
    }).status === 0;
  const warmUp = join(root, 'scripts', 'bundle', 'warm-up.compose.yaml');
  const done = process.geteuid?.() === 0 && warmDown(['-f', warmUp, 'down', '-t', '1', '--progress', 'quiet']);
  if (!done && !warmDown(['down', '--help'])) {
    console.error('bundle-cli: the down bundle failed its warm-up run');
    process.exit(1);
  }
} finally {
  rmSync(downRoot, { recursive: true, force: true });
}
