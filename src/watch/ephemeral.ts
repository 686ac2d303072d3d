// Files editors and git write around a save, never watched; Compose ignores the same ones.
const EPHEMERAL = [/\.sw[a-px]$/, /~$/, /^4913$/, /^\.#/, /^#.*#$/, /___jb_(tmp|old)___$/, /^\.gantry-fs\./];

/** True for a path under a .git directory or an editor's temporary file. */
export function ephemeral(path: string): boolean {
  // Called for every event of a burst: no split, no array.
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base === '.git' || path.includes('/.git/') || EPHEMERAL.some((r) => r.test(base));
}
