// Which gantry-shim binary this process runs. The npm package carries static builds for linux-x64
// and linux-arm64 (native/prebuilt/linux-<arch>/, made by scripts/generate/native-shim.mjs), so
// an install needs no compiler; a source tree or an install on another architecture uses
// native/build/gantry-shim, which is compiled here on first use when it is missing.
// node:child_process is taken on first use (getBuiltinModule): config and version must not load it.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './package-root.ts';
import { RuntimeError } from './errors.ts';

/** The architectures the package ships a prebuilt shim for (Node's process.arch names). */
export const PREBUILT_ARCHES: readonly string[] = ['x64', 'arm64'];

export interface ShimLocation {
  readonly root?: string;
  readonly arch?: string;
}

/** The prebuilt binary for an architecture, relative to the package root. */
export const prebuiltShim = (arch: string): string => join('native', 'prebuilt', `linux-${arch}`, 'gantry-shim');
/** The binary compiled from native/gantry-shim.c on this machine. */
export const builtShim = join('native', 'build', 'gantry-shim');

/**
 * The shim's path without building anything: the locally built one first (in a source tree it
 * is the freshest, as `node scripts/build.mjs` and the test helpers rebuild it), then the prebuilt
 * one for this architecture. undefined when neither exists.
 */
export function findShimBinary(where: ShimLocation = {}): string | undefined {
  const root = where.root ?? packageRoot();
  for (const rel of [builtShim, prebuiltShim(where.arch ?? process.arch)]) {
    if (existsSync(join(root, rel))) return join(root, rel);
  }
  return undefined;
}

let resolved: string | undefined;

/** The shim to run; on an architecture without a prebuilt one, compiles it once (gcc -static). */
export function shimBinary(where: ShimLocation = {}): string {
  const cacheable = where.root === undefined && where.arch === undefined;
  if (cacheable && resolved !== undefined) return resolved;
  const found = findShimBinary(where) ?? compileShim(where.root ?? packageRoot(), where.arch ?? process.arch);
  if (cacheable) resolved = found;
  return found;
}

function compileShim(root: string, arch: string): string {
  const out = join(root, builtShim);
  const source = join(root, 'native', 'gantry-shim.c');
  const cc = ['cc', 'gcc'].find((c) => onPath(c));
  if (cc === undefined) {
    throw new RuntimeError(
      `gantry: no prebuilt gantry-shim for linux-${arch} and no C compiler to build it: ` +
        'install gcc and libc6-dev (Debian: apt-get install gcc libc6-dev), then run the command again',
    );
  }
  process.stderr.write(`gantry: no prebuilt gantry-shim for linux-${arch}: compiling ${source} with ${cc} (once)\n`);
  try {
    mkdirSync(join(root, 'native', 'build'), { recursive: true });
    // Written aside then renamed: two first runs at once must not exec a half-written binary.
    const tmp = `${out}.${process.pid}.tmp`;
    process
      .getBuiltinModule('node:child_process')
      .execFileSync(cc, ['-O2', '-static', '-o', tmp, source], { stdio: ['ignore', 'ignore', 'pipe'] });
    renameSync(tmp, out);
  } catch (err) {
    const detail =
      err instanceof Error ? (err.message.split('\n').find((l) => l.includes('error')) ?? err.message) : String(err);
    throw new RuntimeError(`gantry: compiling ${source} with ${cc} failed (is libc6-dev installed?): ${detail.trim()}`);
  }
  return out;
}

function onPath(cmd: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir !== '' && existsSync(join(dir, cmd)));
}
