#!/usr/bin/env -S node --
// Entry point. The `--` in the shebang: Node 20 reads `--env-file` anywhere in argv, even after
// the script, so `gantry --env-file x config` would be taken by node itself (exit 9, or x
// loaded into the process environment) instead of by gantry.
// CommonJS (bin/package.json), not ESM: an ESM entry makes Node set up its module loader and
// builtin facades first, ≈ 6–8 ms of every command (bench/RESULTS.md).
// Runs the single-file CLI bundle (dist/gantry.cjs) through a V8 code cache, so a cold start
// skips parsing and compiling; without the bundle it runs the tsc output directly. Both are
// made by `npm run build`.
'use strict';
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { createRequire, Module } = require('node:module');
const { join } = require('node:path');
const { Script } = require('node:vm');

const dist = join(__dirname, '..', 'dist');
const bundle = join(dist, 'gantry.cjs');
const cacheFile = `${bundle}.cache`;

function runBundle() {
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // no cache yet: compile normally
  }
  const script = new Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  // Only the build writes the cache (a user's run must never write into the install).
  if (process.env.GANTRY_WRITE_CODE_CACHE === '1') {
    process.on('exit', () => writeFileSync(cacheFile, script.createCachedData()));
  }
  const mod = new Module(bundle);
  mod.filename = bundle;
  script.runInThisContext()(mod.exports, createRequire(bundle), mod, bundle, dist);
}

if (existsSync(bundle)) {
  runBundle();
} else {
  import('../dist/cli/main.js').catch((err) => {
    if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/main.js')) {
      process.stderr.write('gantry: not built yet: run `npm run build` first\n');
      process.exit(70);
    }
    throw err;
  });
}
