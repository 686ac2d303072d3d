// The state root's modes (the class of CVE-2021-41091): the root is 0700, so no other host user
// reaches an image layer's or a volume's setuid binaries or a project's interpolated secrets. A
// root made by an older gantry (0755 all the way down) is tightened once, by the first command
// that sees it: gantry's own directories to 0700 and its state files to 0600. What a container
// sees as its own (volume data, rootfs upper, layer contents, /etc files) keeps its modes.
import { chmodSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { mkdirPrivate, PRIVATE_DIR, PRIVATE_FILE } from './private-files.ts';

/** Creates the root 0700, or tightens an older one; one stat when it is already right. */
export function secureStateRoot(root: string): void {
  let mode: number;
  try {
    mode = statSync(root).mode;
  } catch {
    mkdirPrivate(root);
    return;
  }
  if ((mode & 0o077) === 0) return;
  tightenOlderRoot(root);
  chmodSync(root, PRIVATE_DIR); // last: an interrupted tightening is redone next time
}

const children = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

function chmodIfThere(path: string, mode: number, dirOnly = false): void {
  try {
    if (dirOnly && !statSync(path).isDirectory()) return;
    chmodSync(path, mode);
  } catch {}
}

/** Per area: its directories (private) and the files of each entry that hold state (0600). */
function tightenOlderRoot(root: string): void {
  const dir = (p: string): void => chmodIfThere(p, PRIVATE_DIR, true);
  const file = (p: string): void => chmodIfThere(p, PRIVATE_FILE);
  for (const area of ['images', 'containers', 'networks', 'volumes', 'projects']) dir(join(root, area));
  for (const d of ['blobs', 'blobs/sha256', 'tmp', 'locks', 'layers']) dir(join(root, 'images', d));
  for (const f of children(root)) if (f.startsWith('events.jsonl')) file(join(root, f));
  for (const c of children(join(root, 'containers'))) {
    dir(join(root, 'containers', c));
    for (const f of ['state.json', 'plan', 'container.log']) file(join(root, 'containers', c, f));
  }
  for (const f of children(join(root, 'networks'))) if (f.endsWith('.json')) file(join(root, 'networks', f));
  for (const v of children(join(root, 'volumes'))) {
    dir(join(root, 'volumes', v));
    file(join(root, 'volumes', v, 'meta.json'));
  }
  for (const p of children(join(root, 'projects'))) {
    const pdir = join(root, 'projects', p);
    dir(pdir);
    for (const f of children(pdir)) {
      if (statSync(join(pdir, f), { throwIfNoEntry: false })?.isDirectory()) dir(join(pdir, f));
      else file(join(pdir, f));
    }
  }
}
