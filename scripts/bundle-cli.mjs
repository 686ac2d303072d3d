// Build step after tsc: bundles the CLI into one CommonJS file (dist/gantry.cjs) and records a V8
// code cache for it (dist/gantry.cjs.cache) by running one representative command
// (`config -q` on scripts/bundle/warm-up.compose.yaml). Why: on a
// 2-core machine Node spends ~100 ms resolving, loading and compiling ~150 ESM files before
// gantry runs a line; one pre-compiled script removes most of that (bench/RESULTS.md, config).
// bin/gantry.js loads the bundle with the cache, and falls back to dist/cli/main.js without it.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWithParts } from './bundle/apart.mjs';

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

// `compact`: whitespace left out (names and syntax kept, so errors and --debug stacks name the same
// functions): a start reads and copies every byte of the bundle, and page faults make that dear on a
// VM (2.5 MB read + latin1 copy ≈ 25–35 ms of a loaded down; 1.82 MB compact: down CPU −3 %, down23).
async function bundle(entry, outfile, plugins = [], { compact = false } = {}) {
  const { metafile } = await build({
    metafile: true,
    minifyWhitespace: compact,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    define: { 'import.meta.url': '__gantryMetaUrl' },
    inject: [join(root, 'scripts', 'bundle', 'meta-url.js')],
    plugins: [lazyChildProcessForCommander, ...plugins],
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
  return metafile;
}

// Each bundle's cache is recorded by running it: `ways` are tried in order, each in a throw-away state
// root of its own (a warm-up must never touch the user's state), until one exits as it should and
// leaves the cache. A way gets `run(args, options)`: node on `args` in that root, true when it exits 0.
// The cache is written by the runs given `record` (default true): a build warmed up by a first run
// records on the second, so the cache holds both a cache hit's and a miss's functions.
function warmUp(what, bundleFile, ways) {
  for (const way of ways) {
    rmSync(`${bundleFile}.cache`, { force: true });
    const scratch = mkdtempSync(join(tmpdir(), 'gantry-bundle-warm-up-'));
    const run = (args, { record = true, input, stderr = 'ignore' } = {}) =>
      spawnSync(process.execPath, args, {
        input,
        env: {
          ...process.env,
          GANTRY_ROOT: join(scratch, 'state'),
          ...(record ? { GANTRY_WRITE_CODE_CACHE: '1' } : {}),
        },
        stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', stderr],
      }).status === 0;
    try {
      if (way(run, scratch) && existsSync(`${bundleFile}.cache`)) return;
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  console.error(`bundle-cli: the ${what} failed its warm-up run`);
  process.exit(1);
}

/** A build context in the warm-up's scratch directory holding `files` (name → text); its path. */
function contextOf(scratch, files) {
  const ctx = join(scratch, 'context');
  mkdirSync(ctx);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(ctx, name), text);
  return ctx;
}

const gantry = join(root, 'bin', 'gantry.js');
const cachedScript = join(root, 'bin', 'cached-script.cjs');
const warmUpCompose = join(root, 'scripts', 'bundle', 'warm-up.compose.yaml');
const asRoot = process.geteuid?.() === 0;

// The supervisor (one per running project, spawned by up) gets its own, smaller bundle; its
// cache is recorded under the flags it runs with, from a start without a project (which loads
// every module and exits with its usage line).
const supervisor = join(root, 'dist', 'supervisor.cjs');
await bundle(join(root, 'dist', 'supervisor', 'main.js'), supervisor);
const { SUPERVISOR_V8_FLAGS } = await import(join(root, 'dist', 'supervisor', 'v8-flags.js'));
warmUp('supervisor bundle', supervisor, [
  (run) => (run([...SUPERVISOR_V8_FLAGS.split(' '), cachedScript, supervisor]), true),
]);

await bundle(join(root, 'dist', 'cli', 'main.js'), out);
warmUp('bundled CLI', out, [(run) => run([gantry, '-f', warmUpCompose, 'config', '-q'], { stderr: 'inherit' })]);

// `exec` and `container run` get a bundle of their own (bin/gantry.js picks it for those words; the
// engine through its light door, engine/exec-run.ts). Its cache is recorded by `exec` on the warm-up
// project in a throw-away state root: the project load, the supervisor check and the container
// lookup run, then it fails (nothing runs there); as non-root it stops at the root check, which
// records the CLI's part only. As root a real `container run --rm` follows, loading that cache and
// writing it again with a run's functions too (create, start, wait, remove): an image FROM scratch
// holding the static shim (which prints its usage and exits), built by the whole CLI just bundled,
// run with --network none (a cgroup and a mount for the run's life; no bridge, no rule). A cache
// recorded by a real run took 3.8 % of a run's CPU off (bench/RESULTS.md, "Issue 20, exec22").
// The project loader is a part of its own (projectPart below), read only when exec's project record misses
// (project/recorded-load.ts). The exec is run twice: a miss (the loader's cache recorded) and a warm exec
// from the record the first wrote.
// Functions the warm-up never ran compile lazily on each start.
const execRun = join(root, 'dist', 'gantry-exec-run.cjs');
const distFile = (...p) => join(root, 'dist', ...p);
// The project loader (YAML readers, the schema validator, the normalizers: 0.6 MB) apart, read only when a
// load misses its record (project/recorded-load.ts): a warm exec, down or up reads and compiles none of it
// (bench/RESULTS.md, "Issue 20, exec23"). One file serves the exec/run, up and down bundles, with one code
// cache (recorded by whichever warm-up misses last). It takes two modules from the bundle, the error
// classes the CLI tells apart by class and the input notes a record is made from, and holds copies of the
// rest it needs (stateless): taking those too kept all their exports in each bundle (exec/run 371 → 420 kB).
const projectPart = {
  name: 'project',
  match: /[\\/]dist[\\/]project[\\/]index\.js$/,
  file: 'gantry-part-project.cjs',
  takes: /[\\/]dist[\\/](?:common[\\/]errors|project[\\/]input-record)\.js$/,
};
// The image store's transfers (pull, push, load, save, import: execa and tar with them) in a file of their own
// (scripts/bundle/apart.mjs), read when a run pulls: 0.34 of the bundle's 0.73 MB, which an exec never runs
// and a run of a local image neither (bench/RESULTS.md, "Issue 20, session 11's exec-run parts"). Down's
// bundle takes the same part (its own file: each bundle keeps other modules).
const imageTransferPart = {
  name: 'image-transfer',
  match:
    /[\\/]dist[\\/]image[\\/](?:pull[\\/]pull|push[\\/]push|archive[\\/](?:load|save|import)|store[\\/]import-layer)\.js$/,
};
// Compact, as down's: 1.05 → 0.74 MB for every exec and run to read and copy (latin1) at start (exec20).
/** A compact bundle of `entry` with `parts` in files of their own (scripts/bundle/apart.mjs), their doors
 * loading through bin/cached-script.cjs; `alsoKept`: modules the bundle keeps for its parts to share. */
const compactWithParts = (entry, file, parts, alsoKept) =>
  bundleWithParts(
    entry,
    file,
    parts,
    (e, f, plugins) => bundle(e, f, plugins, { compact: true }),
    '../bin/cached-script.cjs',
    alsoKept,
  );
await compactWithParts(distFile('cli', 'exec-run-main.js'), execRun, [imageTransferPart, projectPart]);
const warmExec = (run) => (run([gantry, '-f', warmUpCompose, 'exec', '-T', 'web', 'true']), true);
const shimBinary = join(root, 'native', 'build', 'gantry-shim');
warmUp('exec/run bundle', execRun, [
  (run, scratch) => {
    if (!asRoot || !existsSync(shimBinary)) return false;
    const ctx = join(scratch, 'context');
    mkdirSync(ctx);
    copyFileSync(shimBinary, join(ctx, 'shim'));
    const image = 'FROM scratch\nCOPY shim /shim\nCMD ["/shim"]\n';
    if (!run([cachedScript, out, 'image', 'build', '-t', 'warm-up', '-f', '-', ctx], { input: image, record: false }))
      return false;
    warmExec(run); // a miss: records the loader's cache too
    warmExec(run);
    run([gantry, 'container', 'run', '--rm', '--network', 'none', 'warm-up']); // the shim's usage: exit 125
    return true;
  },
  warmExec,
]);

// `image build` gets a bundle of its own (bin/gantry.js picks it for those two words). Its cache is
// recorded by a real build, so it holds a build's functions: as root, a FROM scratch build in a
// throw-away state root, run once, then again with one step more (a cache hit and a miss, both
// recorded); elsewhere (no root) `image build --help`, which records the CLI's part only.
const imageBuild = join(root, 'dist', 'gantry-image-build.cjs');
await bundle(join(root, 'dist', 'cli', 'image-build-main.js'), imageBuild);
const dockerfile = (more) =>
  `FROM scratch\nARG V=1\nENV A=$V\nWORKDIR /app\nCOPY a.txt ./\n${more}LABEL v=$V\nCMD ["/app/a.txt"]\n`;
warmUp('image build bundle', imageBuild, [
  (run, scratch) => {
    if (!asRoot) return false;
    const ctx = contextOf(scratch, { 'a.txt': 'a\n', 'b.txt': 'b\n', '.dockerignore': '*.tmp\n' });
    const warmBuild = (text, record) =>
      run([gantry, 'image', 'build', '-t', 'warm-up', '-f', '-', ctx], { input: text, record });
    return warmBuild(dockerfile(''), false) && warmBuild(dockerfile('COPY b.txt ./\n'), true);
  },
  (run) => run([gantry, 'image', 'build', '--help'], { stderr: 'inherit' }),
]);

// `up` gets a bundle of its own too (bin/gantry.js picks it when `up` is the first word; the full CLI's
// cache, recorded by `config -q`, holds none of up's engine, plan or image functions: 1-service `up -d`
// CPU 507 → 428 ms with this bundle and an up-recorded cache, under load; bench/RESULTS.md). Its cache is
// recorded as root on a FROM scratch image holding the static shim, built in the throw-away root: first
// `up -d --dry-run` of a one-service project with a port on a bridge (it loads, opens the image, plans:
// nothing on the host changes), then, as exec's, a warm real `up -d` of it with `network_mode: none` (an
// up, a down, the up recorded, a down -v: a cgroup, mounts and a supervisor for a few seconds; no bridge,
// no rule), so the cache holds a start's functions too; elsewhere by `up --help`. Compact, as down's: 2.63 → 1.91 MB to read and copy.
const upBundle = join(root, 'dist', 'gantry-up.cjs');
// What a warm up of local images never runs is in files of its own, read on first use (scripts/bundle/apart.mjs):
// image pull (execa: only for a credential helper) and save (tar), build, watch, the live view (listr2).
// Build and the live view are the same bytes built for up and for down (each takes the same modules from
// its bundle): one file serves both (gantry-part-*.cjs), and the build checks they stay the same.
const buildPart = { name: 'build', match: /[\\/]dist[\\/]build[\\/]index\.js$/, file: 'gantry-part-build.cjs' };
const liveViewPart = {
  name: 'live-view',
  match: /[\\/]dist[\\/]cli[\\/]render[\\/]live-view\.js$/,
  file: 'gantry-part-live-view.cjs',
};
const upParts = [
  { name: 'execa', match: /[\\/]node_modules[\\/]execa[\\/]index\.js$/ },
  { name: 'save', match: /[\\/]dist[\\/]image[\\/]archive[\\/]save\.js$/ },
  buildPart,
  { name: 'watch', match: /[\\/]dist[\\/]cli[\\/]render[\\/]watch-session\.js$/ },
  liveViewPart,
  projectPart,
];
await compactWithParts(distFile('cli', 'up-main.js'), upBundle, upParts);
warmUp('up bundle', upBundle, [
  (run, scratch) => {
    if (!asRoot || !existsSync(shimBinary)) return false;
    const ctx = contextOf(scratch, {
      'compose.yaml':
        'name: warm-up\nservices:\n  web:\n    image: warm-up-up\n    init: true\n' +
        '    command: ["/shim", "-p", "80"]\n    volumes: [data:/data]\n    ports: ["127.0.0.1:18080:80"]\n' +
        '    environment: {A: "${A:-1}"}\nvolumes: {data: {}}\n',
      'real.yaml': 'services:\n  web:\n    ports: !reset []\n    network_mode: none\n',
    });
    copyFileSync(shimBinary, join(ctx, 'shim'));
    const [compose, real] = [join(ctx, 'compose.yaml'), join(ctx, 'real.yaml')];
    const built = run([cachedScript, out, 'image', 'build', '-t', 'warm-up-up', '-f', '-', ctx], {
      input: 'FROM scratch\nCOPY shim /shim\nCMD ["/shim"]\n',
      record: false,
    });
    if (!built || !run([cachedScript, upBundle, '-f', compose, 'up', '-d', '--dry-run', '--progress', 'quiet']))
      return false;
    const upDown = (verb, record) =>
      run([gantry, '-f', compose, '-f', real, ...verb, '--progress', 'quiet'], { record });
    // The dry run's cache stands if the real up cannot run here (a failed run records what it ran, too).
    try {
      if (upDown(['up', '-d'], false) && upDown(['down', '-t', '0'], false)) upDown(['up', '-d'], true);
      return true;
    } finally {
      // The scratch root is deleted next: a down that failed (a cgroup still busy at load 15-18 left one
      // behind, 2026-12-06) would orphan what it holds, so it is tried again.
      for (let i = 0; i < 3 && !upDown(['down', '-v', '-t', '0'], false); i++);
    }
  },
  (run) => run([cachedScript, upBundle, 'up', '--help']),
]);

// `down` gets a bundle of its own too (bin/gantry.js picks it when `down` is the first word). Its project
// comes from the state root's record when none of its inputs changed (engine/model.ts), the loader being
// exec's file of its own, loaded on a miss only; so this comes after the exec/run bundle. Its cache is
// recorded as root by two downs of the warm-up project in a throw-away state root (nothing runs there, so
// they touch nothing on the host: each reads the project, takes its lock, observes, plans and prunes): a
// miss, which writes the record, then a hit, so the cache holds both; elsewhere by `down --help`.
// The engine through its down door (engine/down.ts); what a down rarely or never runs in files of its own,
// as up's (scripts/bundle/apart.mjs): --rmi opens the image store, but transfers none (pull, push, load,
// save, import: one part); a killed build's leftovers (build, up's file); the live view, on a terminal only
// (up's file). Pull and build both run jobs through map-limit: it stays in the bundle (0.4 kB), so the two
// parts share one instance.
const downBundle = join(root, 'dist', 'gantry-down.cjs');
const downParts = [
  imageTransferPart,
  buildPart, // a killed build's leftovers
  liveViewPart,
  projectPart, // on a record miss
];
await compactWithParts(distFile('cli', 'down-main.js'), downBundle, downParts, [distFile('common', 'map-limit.js')]);
const warmDown = (run) =>
  run([cachedScript, downBundle, '-f', warmUpCompose, 'down', '-t', '1', '--progress', 'quiet']);
warmUp('down bundle', downBundle, [
  (run) => asRoot && warmDown(run) && warmDown(run),
  (run) => run([cachedScript, downBundle, 'down', '--help']),
]);
