#!/usr/bin/env -S node --
// Entry point. The `--` in the shebang: Node 20 reads `--env-file` anywhere in argv, even after
// the script, so `gantry --env-file x config` would be taken by node itself (exit 9, or x
// loaded into the process environment) instead of by gantry.
// Runs the single-file CLI bundle (dist/gantry.cjs) through a V8 code cache, so a
// cold start skips parsing and compiling; without the bundle it runs the tsc output directly.
// Both are made by `npm run build`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { Script } from 'node:vm';

const bundle = new URL('../dist/gantry.cjs', import.meta.url).pathname;
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
  const require = createRequire(bundle);
  script.runInThisContext()(mod.exports, require, mod, bundle, new URL('.', `file://${bundle}`).pathname);
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
