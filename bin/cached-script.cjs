// Runs a CommonJS bundle of dist/ through its V8 code cache (BUNDLE.cache beside it), so a cold
// start skips parsing and compiling the bundle. Used by bin/gantry.js for the CLI and, as
// `node bin/cached-script.cjs BUNDLE ARGS...`, for the supervisor process. Only the build writes
// a cache (GANTRY_WRITE_CODE_CACHE=1): a user's run must never write into the install. V8 refuses
// a cache made by another Node version or with other V8 flags, and then compiles normally.
// runCached returns the bundle's exports (the exec/run bundle's project loader is one: bundle-cli.mjs).
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire, Module } = require('node:module');
const { dirname, resolve } = require('node:path');
const { Script } = require('node:vm');

function runCached(file) {
  const bundle = resolve(file);
  const cacheFile = `${bundle}.cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // no cache yet: compile normally
  }
  // latin1, not utf8: the build escapes every non-ASCII character (scripts/bundle-cli.mjs), so both
  // read the same text, but Node's UTF-8 path validates and decodes the 3 MB bundle on every start:
  // ~10 M instructions (5 % of `gantry version` without NODE_EXTRA_CA_CERTS; bench/RESULTS.md).
  const script = new Script(Module.wrap(readFileSync(bundle, 'latin1')), { filename: bundle, cachedData });
  if (process.env.GANTRY_WRITE_CODE_CACHE === '1') {
    process.on('exit', () => writeFileSync(cacheFile, script.createCachedData()));
  }
  const mod = new Module(bundle);
  mod.filename = bundle;
  script.runInThisContext()(mod.exports, createRequire(bundle), mod, bundle, dirname(bundle));
  return mod.exports;
}

module.exports = { runCached };

if (require.main === module) {
  const bundle = process.argv[2];
  process.argv.splice(1, 1); // the bundle sees itself as the script: argv[2] onwards are its own
  runCached(bundle);
}
