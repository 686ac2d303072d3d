// `npm pack` of this tree and `npm install -g` of the tarball into an empty prefix, as a user
// installs gantry: the installed CLI must run without the repo (scripts, sources, native/build).
// Packs with --ignore-scripts after making the prebuilt shims itself (what `prepack` runs besides
// the build, which `npm test` has just done), so a test file pays for one pack and one install.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export interface PackedInstall {
  readonly dir: string; // temp dir holding the tarball and the prefix
  readonly tarball: string;
  readonly prefix: string;
  readonly bin: string; // <prefix>/bin/gantry, the link npm made
  readonly packageDir: string; // <prefix>/lib/node_modules/gantry
  readonly version: string;
}

export function packAndInstall(): PackedInstall {
  execFileSync(process.execPath, [join(REPO, 'scripts/generate/native-shim.mjs'), '--require-all'], {
    stdio: 'inherit',
  });
  const dir = mkdtempSync(join(tmpdir(), 'gantry-pack-'));
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
    cwd: REPO,
    encoding: 'utf8',
  });
  const tarball = join(dir, (JSON.parse(out) as { filename: string }[])[0]!.filename);
  const prefix = join(dir, 'prefix');
  // Dependencies come from the registry (or npm's cache); no script of gantry runs at install.
  execFileSync(
    'npm',
    ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball],
    {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
  return {
    dir,
    tarball,
    prefix,
    bin: join(prefix, 'bin', 'gantry'),
    packageDir: join(prefix, 'lib', 'node_modules', 'gantry'),
    version,
  };
}
