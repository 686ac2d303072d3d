// Build step: compile the runtime's C helper (native/gantry-shim.c and its headers), static so its
// start costs no dynamic loading and one binary runs on any Linux of its architecture:
// - native/build/gantry-shim with the system gcc: what a source tree runs;
// - native/prebuilt/linux-{x64,arm64}/gantry-shim: what the npm package carries, so an install
//   needs no compiler (src/common/shim-binary.ts picks one by process.arch). The host's own
//   architecture is a copy of the native build; the other comes from Debian's cross gcc.
// Each output is rebuilt only when older than the sources. A missing cross compiler is a one-line
// note, unless --require-all (npm prepack): a package without both binaries must not be made.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, statSync, readdirSync, renameSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const native = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'native');
const source = join(native, 'gantry-shim.c');
const sources = readdirSync(native)
  .filter((f) => f.endsWith('.c') || f.endsWith('.h'))
  .map((f) => join(native, f));
const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
const requireAll = process.argv.includes('--require-all');
const fresh = (out) => existsSync(out) && statSync(out).mtimeMs >= newest;

// Node's arch name → Debian's cross gcc and the packages that provide it.
const CROSS = {
  x64: { cc: 'x86_64-linux-gnu-gcc', debs: 'gcc-x86-64-linux-gnu libc6-dev-amd64-cross' },
  arm64: { cc: 'aarch64-linux-gnu-gcc', debs: 'gcc-aarch64-linux-gnu libc6-dev-arm64-cross' },
};

function compile(cc, out, hint) {
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.tmp`;
  const r = spawnSync(cc, ['-O2', '-Wall', '-static', '-o', tmp, source], { stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`build: compiling native/gantry-shim.c with ${cc} failed (${hint})\n`);
    process.exit(r.status ?? 1);
  }
  renameSync(tmp, out);
}

function onPath(cmd) {
  return (process.env.PATH ?? '').split(':').some((d) => d !== '' && existsSync(join(d, cmd)));
}

const built = join(native, 'build', 'gantry-shim');
if (!fresh(built)) compile('gcc', built, 'install gcc and libc6-dev: scripts/setup.sh');

for (const [arch, cross] of Object.entries(CROSS)) {
  const out = join(native, 'prebuilt', `linux-${arch}`, 'gantry-shim');
  if (fresh(out)) continue;
  if (arch === process.arch) {
    mkdirSync(dirname(out), { recursive: true });
    copyFileSync(built, `${out}.tmp`);
    renameSync(`${out}.tmp`, out);
  } else if (onPath(cross.cc)) {
    compile(cross.cc, out, `install ${cross.debs}: scripts/setup.sh`);
  } else {
    const note = `${cross.cc} not found: native/prebuilt/linux-${arch} not built (install ${cross.debs})`;
    process.stderr.write(`build: ${note}\n`);
    if (requireAll) process.exit(1);
  }
}
