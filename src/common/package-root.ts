// The directory gantry is installed in (where package.json, native/ and schemas/ live). Found by
// walking up from this module, because the same code runs from src/ (tests), dist/ (tsc) and the
// single-file CLI bundle (dist/gantry.cjs), each at a different depth.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'gantry') {
      cached = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('gantry: cannot find its own package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** A path inside the installed package, e.g. packagePath('schemas'); the shim: common/shim-binary.ts. */
export const packagePath = (...parts: string[]): string => join(packageRoot(), ...parts);
