// The build context as a sorted list of entries: lstat only, so a symlink is an entry of its own
// (its target is recorded, never followed: a link pointing out of the context cannot pull host
// files in). Excluded directories are not entered unless a `!` pattern may re-include something
// inside; then the directory is kept only for what it holds.
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { IgnoreMatcher } from './dockerignore.ts';

export interface ContextEntry {
  /** Slash path relative to the context root, e.g. `src/app.js`. */
  readonly path: string;
  readonly type: 'file' | 'dir' | 'symlink';
  /** Permission bits (07777). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly dev: bigint;
  readonly ino: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
  readonly linkTarget: string | undefined;
}

export async function walkContext(root: string, matcher?: IgnoreMatcher): Promise<ContextEntry[]> {
  const out: ContextEntry[] = [];
  await walkDir(root, '', matcher, out);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function walkDir(
  root: string,
  rel: string,
  matcher: IgnoreMatcher | undefined,
  out: ContextEntry[],
): Promise<boolean> {
  const names = (await readdir(join(root, rel))).sort();
  const paths = names.map((name) => (rel === '' ? name : `${rel}/${name}`));
  // One directory's lstats in parallel: the walk, not the hashing, is what a warm build pays for.
  const stats = await Promise.all(paths.map((p) => lstat(join(root, p), { bigint: true })));
  let kept = false;
  for (const [i, path] of paths.entries()) {
    const excluded = matcher?.excludes(path) ?? false;
    const st = stats[i]!;
    const type = st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : undefined;
    if (type === undefined) continue; // sockets, fifos, devices are not build context
    if (excluded && !(type === 'dir' && matcher?.hasExclusions === true)) continue;
    const entry: ContextEntry = {
      path,
      type,
      mode: Number(st.mode & 0o7777n),
      uid: Number(st.uid),
      gid: Number(st.gid),
      size: type === 'file' ? Number(st.size) : 0,
      dev: st.dev,
      ino: st.ino,
      mtimeNs: st.mtimeNs,
      ctimeNs: st.ctimeNs,
      linkTarget: type === 'symlink' ? await readlink(join(root, path)) : undefined,
    };
    if (type === 'dir') {
      const at = out.length;
      const inner = await walkDir(root, path, matcher, out);
      if (excluded && !inner) continue;
      out.splice(at, 0, entry);
    } else out.push(entry);
    kept = true;
  }
  return kept;
}
