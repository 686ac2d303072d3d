// The one way gantry removes a directory tree: only a path strictly inside its own folder, checked
// by name (no "..", not the folder itself) and by the real path of its parent (no symlinked
// parent leading elsewhere), so a hostile name or a planted symlink can never aim a recursive
// removal at the state root or at the host.
import { promises as fs, readdirSync, realpathSync, rmdirSync, rmSync, unlinkSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InternalError } from './errors.ts';

const strictlyInside = (parent: string, child: string): boolean => {
  const rel = relative(parent, child);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
};

function realOrUndefined(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined; // gone: nothing to remove below it
  }
}

/** The checked path to remove, or undefined when there is nothing (its parent is gone). */
function checked(parent: string, child: string): string | undefined {
  const p = resolve(parent);
  const c = resolve(child);
  if (!strictlyInside(p, c)) throw new InternalError(`refusing to remove ${child}: not inside ${parent}`);
  const realParent = realOrUndefined(p);
  const realDir = realOrUndefined(dirname(c));
  if (realParent === undefined || realDir === undefined) return undefined;
  // The child itself may be a symlink: rm removes the link, never what it points to.
  const real = resolve(realDir, basename(c));
  if (!strictlyInside(realParent, real)) {
    throw new InternalError(`refusing to remove ${child}: it resolves outside ${parent}`);
  }
  return real;
}

/** rm -rf `child`, which must lie strictly inside `parent`. */
export function removeInside(parent: string, child: string): void {
  const real = checked(parent, child);
  if (real !== undefined) rmSync(real, { recursive: true, force: true });
}

export async function removeInsideAsync(parent: string, child: string): Promise<void> {
  const real = checked(parent, child);
  if (real !== undefined) await fs.rm(real, { recursive: true, force: true });
}

/**
 * The tree's entries in removal order (children before their directory), or undefined once there are
 * more than `limit`. Directory entries' types come from getdents: a symlink is never followed.
 */
function smallTree(dir: string, limit: number, out: string[] = []): string[] | undefined {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (out.length >= limit) return undefined;
    const p = join(dir, e.name);
    if (e.isDirectory() && smallTree(p, limit, out) === undefined) return undefined;
    out.push(e.isDirectory() ? `${p}${sep}` : p);
  }
  return out;
}

/**
 * removeInsideAsync, done on this thread when the tree has at most `limit` entries. A `run --rm`
 * container's directory has ≈ 20, which fs.rm took through the thread pool in 27 round trips between the
 * loop and a worker (issue 20, bench/RESULTS.md "run10"); a larger tree (a container that wrote many
 * files) still goes through the pool, so the loop never blocks on it.
 */
export async function removeSmallInside(parent: string, child: string, limit = 64): Promise<void> {
  const real = checked(parent, child);
  if (real === undefined) return;
  let entries: string[] | undefined;
  try {
    entries = smallTree(real, limit);
  } catch {
    entries = undefined; // gone, or not a directory: rm says which
  }
  if (entries === undefined) return fs.rm(real, { recursive: true, force: true });
  try {
    for (const e of entries) {
      if (e.endsWith(sep)) rmdirSync(e);
      else unlinkSync(e);
    }
    rmdirSync(real);
  } catch {
    await fs.rm(real, { recursive: true, force: true }); // changed meanwhile: rm finishes it, or says why not
  }
}
