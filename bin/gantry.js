#!/usr/bin/env -S node --
// Entry point. The `--` in the shebang: Node 20 reads `--env-file` anywhere in argv, even after
// the script, so `gantry --env-file x config` would be taken by node itself (exit 9, or x
// loaded into the process environment) instead of by gantry.
// CommonJS (bin/package.json), not ESM: an ESM entry makes Node set up its module loader and
// builtin facades first, ≈ 6–8 ms of every command (bench/RESULTS.md).
// Runs the single-file CLI bundle (dist/gantry.cjs) through its V8 code cache
// (cached-script.cjs); without the bundle it runs the tsc output directly. Both are made by
// `npm run build`. `gantry image build …` runs a bundle of that one command (dist/gantry-image-build.cjs,
// a third of the size, its cache recorded by a build): loading the whole CLI was most of a fully
// cached build's time (bench/RESULTS.md, build). `exec`, `container run`, `down` and `up` have one too.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

// Global options that take a value (the CLI's own list, src/cli/value-options.json): their value is
// never the command word (`-p exec up` is `up`). Without a build there is no list, and no bundle.
let TAKES_VALUE = new Set();
try {
  TAKES_VALUE = new Set(require('../dist/cli/value-options.json'));
} catch {
  // not built: the fallback below says so
}

/** The command word and the word after it, past global options and a `compose` word. */
function commandWords(args) {
  let compose = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    if (a.startsWith('-')) {
      if (TAKES_VALUE.has(a)) i++;
    } else if (a === 'compose' && !compose) compose = true;
    else return [a, args[i + 1]];
  }
  return [];
}

// `exec` and `container run` (dist/gantry-exec-run.cjs, a light door into the engine), `down`
// (dist/gantry-down.cjs, its cache recorded by a down), `up` (dist/gantry-up.cjs, its cache recorded by
// an up) and `image build` have bundles of their own (issue 20); exec/run's, up's and down's keep what
// they rarely run in files of their own (scripts/bundle/apart.mjs). Every other command runs the whole CLI.
const [word, sub] = commandWords(process.argv.slice(2));
const own =
  word === 'image' && sub === 'build'
    ? 'gantry-image-build.cjs'
    : word === 'exec' || (word === 'container' && sub === 'run')
      ? 'gantry-exec-run.cjs'
      : word === 'down'
        ? 'gantry-down.cjs'
        : word === 'up'
          ? 'gantry-up.cjs'
          : undefined;
const light = own && join(__dirname, '..', 'dist', own);
const bundle = light && existsSync(light) ? light : join(__dirname, '..', 'dist', 'gantry.cjs');

if (existsSync(bundle)) {
  require('./cached-script.cjs').runCached(bundle);
} else {
  import('../dist/cli/main.js').catch((err) => {
    if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/main.js')) {
      process.stderr.write('gantry: not built yet: run `npm run build` first\n');
      process.exit(70);
    }
    throw err;
  });
}
