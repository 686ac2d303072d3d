// Which compose files make the project: `-f` files, else COMPOSE_FILE, else the first of the
// default names found in the working directory or a parent, plus its override file beside it.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../common/errors.ts';
import type { Env } from './env.ts';
import { noteFile } from './input-record.ts';

export const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'] as const;
export const OVERRIDE_FILES = [
  'compose.override.yaml',
  'compose.override.yml',
  'docker-compose.override.yaml',
  'docker-compose.override.yml',
] as const;

export interface Discovered {
  /** Absolute paths, or '-' for stdin. */
  readonly files: string[];
  readonly warnings: string[];
}

/** Files named explicitly (`-f`, then COMPOSE_FILE), absolute; empty when none were named. */
export function explicitFiles(files: readonly string[], env: Env, cwd: string): string[] {
  let named = [...files];
  if (named.length === 0 && env.COMPOSE_FILE) {
    const sep = env.COMPOSE_PATH_SEPARATOR || ':';
    named = env.COMPOSE_FILE.split(sep).filter((f) => f !== '');
  }
  return named.map((f) => (f === '-' ? f : resolve(cwd, f)));
}

/** How the error for "no compose file in reach" starts: `-p NAME` alone then names a project that exists. */
export const NO_COMPOSE_FILE = 'no configuration file provided';

/** Whether a load failed only because no compose file was named or found. */
export const isNoComposeFile = (e: unknown): boolean =>
  e instanceof ConfigError && e.detail.startsWith(NO_COMPOSE_FILE);

/** Resolves the project's files: the explicit ones (which must exist) or discovery from `startDir`. */
export function discoverFiles(explicit: readonly string[], startDir: string): Discovered {
  if (explicit.length > 0) {
    for (const f of explicit) {
      if (f !== '-' && !isFile(f)) throw new ConfigError(`compose file ${f} not found`);
    }
    return { files: [...explicit], warnings: [] };
  }
  for (let dir = resolve(startDir); ; dir = dirname(dir)) {
    const found = DEFAULT_FILES.map((n) => join(dir, n)).filter(isFile);
    if (found.length > 0) {
      const warnings =
        found.length > 1
          ? [`Found multiple config files with supported names: ${found.join(', ')}. Using ${found[0]}`]
          : [];
      const override = OVERRIDE_FILES.map((n) => join(dir, n)).filter(isFile);
      if (override.length > 1)
        warnings.push(
          `Found multiple override files with supported names: ${override.join(', ')}. Using ${override[0]}`,
        );
      return { files: override[0] ? [found[0]!, override[0]] : [found[0]!], warnings };
    }
    if (dirname(dir) === dir) break;
  }
  throw new ConfigError(
    `${NO_COMPOSE_FILE}: no ${DEFAULT_FILES.join(', ')} found in ${resolve(startDir)} or its parents`,
  );
}

function isFile(p: string): boolean {
  noteFile(p); // a compose file that appears later, nearer, changes the project
  return existsSync(p) && statSync(p).isFile();
}

/** The project directory: `--project-directory`, else the first file's directory (cwd for stdin). */
export function projectDirectoryFor(explicitDir: string | undefined, files: readonly string[], cwd: string): string {
  if (explicitDir) return resolve(cwd, explicitDir);
  const first = files.find((f) => f !== '-');
  return first ? dirname(first) : cwd;
}
