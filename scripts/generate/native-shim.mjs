// Build step: compile the runtime's C helper (native/gantry-shim.c) with the system C compiler
// into native/build/gantry-shim. Static, so its start costs no dynamic loading; skipped when the
// binary is newer than its sources.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const native = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'native');
const out = join(native, 'build', 'gantry-shim');
const sources = readdirSync(native).filter((f) => f.endsWith('.c') || f.endsWith('.h')).map((f) => join(native, f));
const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
if (!existsSync(out) || statSync(out).mtimeMs < newest) {
  mkdirSync(join(native, 'build'), { recursive: true });
  const r = spawnSync('gcc', ['-O2', '-Wall', '-static', '-o', out, join(native, 'gantry-shim.c')], { stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('build: compiling native/gantry-shim.c failed (install gcc and libc6-dev: scripts/setup.sh)\n');
    process.exit(r.status ?? 1);
  }
}
