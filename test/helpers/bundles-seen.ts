// Which bundle bin/gantry.js ran for a command, and whether V8 took its code cache: a preloaded
// hook records the dist/*.cjs files read and each vm.Script's cachedDataRejected (light entries:
// image build, down, exec and container run; see bin/gantry.js), and the Node builtins loaded.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GANTRY_BIN } from './cli.ts';

const HOOK = `
const fs = require('node:fs'); const vm = require('node:vm');
const read = fs.readFileSync; const seen = []; const scripts = []; const proc = [];
fs.readFileSync = function (f, ...rest) { if (/dist\\/[^/]+\\.cjs$/.test(String(f))) seen.push(String(f)); if (String(f).startsWith('/proc/self/')) proc.push(String(f)); return read.call(this, f, ...rest); };
const Script = vm.Script;
vm.Script = function (...a) { const s = new Script(...a); scripts.push(s); return s; };
process.on('exit', () => process.stderr.write('bundles: ' + JSON.stringify({ seen, rejected: scripts.map((s) => s.cachedDataRejected), procSelf: proc, threads: fs.readdirSync('/proc/self/task').length, builtins: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)) }) + '\\n'));
`;

export interface BundlesSeen {
  /** Base names of the bundles read, in order. */
  readonly seen: string[];
  readonly rejected: (boolean | undefined)[];
  /** The Node builtins (public and internal) the process loaded, by name ("crypto", "internal/net"…). */
  readonly builtins: string[];
  /** The /proc/self/ files read with readFileSync, in order. */
  readonly procSelf: string[];
  /** The process's threads at exit (Node's own, plus libuv's 4 pool threads once anything used the pool). */
  readonly threads: number;
}

/** What a command printed and returned, with the bundles it ran. */
export interface SeenRun extends BundlesSeen {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The hook as a file in `dir` (for `node -r` or NODE_OPTIONS' --require); its path. */
export function seenHook(dir: string): string {
  writeFileSync(join(dir, 'hook.cjs'), HOOK);
  return join(dir, 'hook.cjs');
}

/** What the hook printed in `output` (a `bundles: …` line), and the output without that line. */
export function parseSeen(output: string): { got: BundlesSeen; rest: string } {
  const line = /bundles: (.*)\r?\n/.exec(output);
  assert.ok(line, output);
  const got = JSON.parse(line[1]!) as BundlesSeen;
  return { got: { ...got, seen: got.seen.map((f) => f.split('/').pop()!) }, rest: output.replace(line[0], '') };
}

/** Runs gantry `args` in `cwd` with the hook (written to `hookDir`) in `env`, whatever its exit status. */
export function runSeen(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, hookDir = cwd): SeenRun {
  const r = spawnSync(process.execPath, ['-r', seenHook(hookDir), GANTRY_BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env,
  });
  const { got, rest } = parseSeen(r.stderr);
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: rest,
    seen: got.seen,
    rejected: got.rejected,
    builtins: got.builtins,
    procSelf: got.procSelf,
    threads: got.threads,
  };
}

/** Runs gantry `args` in `cwd` (state root `cwd`/root) with the hook; the command must succeed. */
export function bundlesOf(args: readonly string[], cwd: string): BundlesSeen {
  const r = runSeen(args, cwd, { ...process.env, GANTRY_ROOT: join(cwd, 'root') });
  assert.equal(r.status, 0, r.stderr);
  return { seen: r.seen, rejected: r.rejected, builtins: r.builtins, procSelf: r.procSelf, threads: r.threads };
}
