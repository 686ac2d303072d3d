// Path resolution inside a container's root from the host, as openat2(RESOLVE_IN_ROOT) does:
// every symlink is read and resolved by us against the container's root (an absolute target
// restarts at that root, `..` stops there), so no link in the container can name a host path.
import { lstatSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeError } from '../common/errors.ts';

const MAX_LINKS = 40; // as the kernel's ELOOP limit

/**
 * The canonical in-container path of `path` (absolute, no symlink before the last component;
 * the last one followed only with followLast). Missing components are kept as given.
 */
export function resolveInRoot(root: string, path: string, followLast: boolean): string {
  const done: string[] = [];
  const todo = path.split('/').filter((c) => c !== '' && c !== '.');
  let links = 0;
  while (todo.length > 0) {
    const c = todo.shift()!;
    if (c === '..') {
      done.pop(); // at the root, `..` is the root
      continue;
    }
    const last = todo.length === 0;
    let link: string | undefined;
    try {
      if (lstatSync(join(root, ...done, c)).isSymbolicLink() && (!last || followLast)) link = readlinkSync(join(root, ...done, c));
    } catch {
      // missing: nothing below it can be a link; the caller creates or reports it
    }
    if (link === undefined) {
      done.push(c);
      continue;
    }
    if (++links > MAX_LINKS) throw new RuntimeError(`${path}: too many levels of symbolic links`);
    if (link.startsWith('/')) done.length = 0;
    todo.unshift(...link.split('/').filter((x) => x !== '' && x !== '.'));
  }
  return `/${done.join('/')}`;
}

/** The host path of a canonical in-container path. */
export const hostPathIn = (root: string, canonical: string): string => join(root, canonical);
