// The project name, by Compose's precedence: `-p`, COMPOSE_PROJECT_NAME, the top-level `name`,
// then the project directory's base name. Names given on the command line or in the
// environment must already be valid; the top-level `name` and the directory name are
// normalized (lower-cased, other characters dropped), as Compose does.
import { basename } from 'node:path';
import { ConfigError } from '../common/errors.ts';

const VALID = /^[a-z0-9][a-z0-9_-]*$/;

export function normalizeProjectName(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[^a-z0-9]+/, '');
}

export interface NameSources {
  readonly flag?: string | undefined;
  readonly env?: string | undefined;
  readonly topLevel?: unknown;
  readonly projectDirectory: string;
}

export function resolveProjectName(src: NameSources): string {
  if (src.flag) return checked(src.flag, '-p');
  if (src.env) return checked(src.env, 'COMPOSE_PROJECT_NAME');
  const fromFile = typeof src.topLevel === 'string' ? normalizeProjectName(src.topLevel) : '';
  if (fromFile !== '') return fromFile;
  const fromDir = normalizeProjectName(basename(src.projectDirectory));
  if (fromDir === '') {
    throw new ConfigError(
      `project name must not be empty: directory "${basename(src.projectDirectory)}" gives no valid name; set one with -p or a top-level name`,
    );
  }
  return fromDir;
}

function checked(name: string, from: string): string {
  if (VALID.test(name)) return name;
  throw new ConfigError(
    `invalid project name "${name}" (from ${from}): must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number`,
  );
}
