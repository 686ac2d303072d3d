// Build: compile src/ to dist/ with tsc, then run every build-time generator in scripts/generate/
// (for example the ahead-of-time compiled schema validator), so a cold CLI start pays no compile.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const genDir = join(root, 'scripts', 'generate');
if (existsSync(genDir)) {
  for (const f of readdirSync(genDir)
    .filter((n) => n.endsWith('.mjs'))
    .sort())
    run(process.execPath, [join(genDir, f)]);
}
run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
run(process.execPath, [join(root, 'scripts', 'bundle-cli.mjs')]);
