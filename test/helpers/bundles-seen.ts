// Which bundle bin/gantry.js ran for a command, and whether V8 took its code cache: a preloaded
// hook records the dist/*.cjs files read and each vm.Script's cachedDataRejected (light entries:
// image build, down; see bin/gantry.js).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GANTRY_BIN } from './cli.ts';

const HOOK = `
const fs = require('node:fs'); const vm = require('node:vm');
const read = fs.readFileSync; const seen = []; const scripts = [];
fs.readFileSync = function (f, ...rest) { if (/dist\\/[^/]+\\.cjs$/.test(String(f))) seen.push(String(f)); return read.call(this, f, ...rest); };
const Script = vm.Script;
vm.Script = function (...a) { const s = new Script(...a); scripts.push(s); return s; };
process.on('exit', () => process.stderr.write('bundles: ' + JSON.stringify({ seen, rejected: scripts.map((s) => s.cachedDataRejected) }) + '\\n'));
`;

export interface BundlesSeen {
  /** Base names of the bundles read, in order. */
  readonly seen: string[];
  readonly rejected: (boolean | undefined)[];
}

/** Runs gantry `args` in `cwd` (state root `cwd`/root) with the hook; the command must succeed. */
export function bundlesOf(args: readonly string[], cwd: string): BundlesSeen {
  writeFileSync(join(cwd, 'hook.cjs'), HOOK);
  const r = spawnSync(process.execPath, ['-r', join(cwd, 'hook.cjs'), GANTRY_BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GANTRY_ROOT: join(cwd, 'root') },
  });
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(/bundles: (.*)/.exec(r.stderr)![1]!) as BundlesSeen;
  return { seen: got.seen.map((f) => f.split('/').pop()!), rejected: got.rejected };
}
