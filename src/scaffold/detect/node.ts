// Node.js: package.json, its lockfile (pnpm, yarn, else npm), its start script and Node version
// (engines.node, else .nvmrc / .node-version).
import { firstVersion, has, readSmall, type Detection } from './types.ts';

interface PackageJson {
  name?: unknown;
  scripts?: Record<string, unknown>;
  engines?: { node?: unknown };
  main?: unknown;
  dependencies?: Record<string, unknown>;
}

const LOCKFILES: readonly (readonly [file: string, manager: string])[] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['package-lock.json', 'npm'],
];

export function detectNode(dir: string): Detection | undefined {
  const text = readSmall(dir, 'package.json');
  if (text === undefined) return undefined;
  let pkg: PackageJson = {};
  try {
    pkg = JSON.parse(text) as PackageJson;
  } catch {
    // A broken package.json still says "Node"; the answers fall back to the defaults.
  }
  const evidence = ['package.json'];
  const values: Record<string, string> = {};
  const lock = LOCKFILES.find(([f]) => has(dir, f));
  if (lock) {
    evidence.push(lock[0]);
    values['package_manager'] = lock[1];
  }
  const pm = values['package_manager'] ?? 'npm';
  const scripts = pkg.scripts ?? {};
  if (typeof scripts['start'] === 'string') values['start_command'] = pm === 'npm' ? 'npm start' : `${pm} start`;
  else if (typeof pkg.main === 'string' && /^[\w./-]+$/.test(pkg.main)) values['start_command'] = `node ${pkg.main}`;
  const test = scripts['test'];
  if (typeof test === 'string' && !/no test specified/.test(test)) values['test_command'] = `${pm} test`;
  const engines = typeof pkg.engines?.node === 'string' ? pkg.engines.node : undefined;
  const version = firstVersion(engines ?? readSmall(dir, '.nvmrc') ?? readSmall(dir, '.node-version'), 1);
  if (version !== undefined) values['version'] = version;
  return { language: 'node', values, evidence };
}
