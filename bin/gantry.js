#!/usr/bin/env -S node --
// Entry point. The `--` in the shebang: Node 20 reads `--env-file` anywhere in argv, even after
// the script, so `gantry --env-file x config` would be taken by node itself (exit 9, or x
// loaded into the process environment) instead of by gantry.
// CommonJS (bin/package.json), not ESM: an ESM entry makes Node set up its module loader and
// builtin facades first, ≈ 6–8 ms of every command (bench/RESULTS.md).
// Runs the single-file CLI bundle (dist/gantry.cjs) through its V8 code cache
// (cached-script.cjs); without the bundle it runs the tsc output directly. Both are made by
// `npm run build`. `gantry image build …` (those two words first) runs a bundle of that one
// command (dist/gantry-image-build.cjs, a third of the size, its cache recorded by a build):
// loading the whole CLI was most of a fully cached build's time (bench/RESULTS.md, build).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

// `down` (first word) likewise runs dist/gantry-down.cjs, its cache recorded by a down (issue 20).
const [word, sub] = process.argv.slice(2);
const lightName =
  word === 'image' && sub === 'build' ? 'gantry-image-build.cjs' : word === 'down' ? 'gantry-down.cjs' : '';
const light = lightName && join(__dirname, '..', 'dist', lightName);
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
