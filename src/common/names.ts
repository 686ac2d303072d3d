// Names of things that become directory and file names under the state root (volumes, networks,
// containers, projects): checked against Docker's and Compose's rules before any path is built,
// so a name can never be `..`, hold a `/` or climb out of its own folder.
import { RuntimeError } from './errors.ts';

/** Docker's rule for volume, network and container names. */
const OBJECT_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
/** Compose's rule for project names. */
const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;
/** One path component: a longer name would fail later with ENAMETOOLONG, half-made. */
const MAX = 255;

export type NamedKind = 'volume' | 'network' | 'container' | 'project';

/** Why `name` is not a valid name of its kind, or undefined when it is. */
export function nameProblem(kind: NamedKind, name: string): string | undefined {
  if (name.length > MAX) return `invalid ${kind} name "${name.slice(0, 40)}...": longer than ${MAX} characters`;
  if (kind === 'project') {
    if (PROJECT_NAME.test(name)) return undefined;
    return `invalid project name "${name}": only lowercase letters, digits, "-" and "_", from a letter or digit`;
  }
  if (OBJECT_NAME.test(name)) return undefined;
  return `invalid ${kind} name "${name}": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`;
}

/** The API boundary's check: throws a one-line RuntimeError unless `name` is valid. */
export function checkName(kind: NamedKind, name: string): string {
  const problem = nameProblem(kind, name);
  if (problem !== undefined) throw new RuntimeError(problem);
  return name;
}
