// The watched trees walked again after a burst that may have overflowed the kernel's inotify queue.
// When more than fs.inotify.max_queued_events events wait unread (a 5,000-file `git checkout` is
// ~20,000: chokidar watches every file as well as its directory), the kernel drops the rest and
// libuv drops the overflow marker (it names no watch), so the watcher is never told. git writes the
// files it changes after its removals, so those are the events lost. The walk is the only way to
// learn what changed meanwhile; it runs only after a burst of that size (a 5,000-file walk is
// ~25 ms idle, ~150 ms on a loaded 2-core VM), as the burst's batch is handed over and once more
// when the trees are quiet again (an overflow may come after the hand-over, and nothing tells).
import { readdirSync, readFileSync, statSync, type Dirent, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { TreeView } from './tree-view.ts';

/** The kernel's queue length; a burst with a quarter of it in events is walked again. */
export function overflowSuspectAt(): number {
  try {
    // A quarter: events libuv delivers for a watch closed meanwhile (a removed file's own watch) are
    // dropped before they are counted, up to three of a removed file's four.
    return Math.max(256, Math.floor(Number(readFileSync('/proc/sys/fs/inotify/max_queued_events', 'utf8')) / 4));
  } catch {
    return 4096;
  }
}

/**
 * Visits every path under the roots (symlinks followed, as the watcher follows them; a directory
 * reached twice is walked once) that `ignored` lets through; returns the paths visited. A path
 * `known` (in the batch already) is not looked at, only listed if it is a directory: a 5,000-file
 * checkout's batch holds its files, and their stats would be most of the walk's cost.
 */
export function walkTrees(
  roots: readonly string[],
  ignored: (path: string) => boolean,
  visit: (path: string, st: Stats) => void,
  known: (path: string) => boolean = () => false,
): Set<string> {
  const seen = new Set<string>();
  const dirs = new Set<string>();
  const list = (path: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(path, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) go(join(path, e.name), e);
  };
  const go = (path: string, entry?: Dirent): void => {
    if (seen.has(path) || ignored(path)) return;
    if (entry && !entry.isSymbolicLink() && known(path)) {
      seen.add(path);
      if (entry.isDirectory()) list(path);
      return;
    }
    let st: Stats | undefined;
    try {
      st = statSync(path, { throwIfNoEntry: false });
    } catch {
      return; // a dangling link's loop, a permission: chokidar cannot watch it either
    }
    if (!st) return;
    seen.add(path);
    visit(path, st);
    if (!st.isDirectory() || dirs.has(`${st.dev}:${st.ino}`)) return;
    dirs.add(`${st.dev}:${st.ino}`);
    list(path);
  };
  for (const r of roots) go(r);
  return seen;
}

export interface Differences {
  /** Files not as last seen, directories not seen before. */
  readonly changed: readonly (readonly [string, Stats])[];
  /** Paths seen before that are gone (each looked at again: a second link to a tree is walked once). */
  readonly gone: readonly string[];
}

/**
 * What the trees hold that `view` does not say; `strict`: a file whose last signature may hide a
 * rewrite (racy) counts as changed. `known` paths (written by the batch at hand) are listed, not looked at.
 */
export function differences(
  roots: readonly string[],
  ignored: (path: string) => boolean,
  view: TreeView,
  strict: boolean,
  known?: (path: string) => boolean,
): Differences {
  const changed: [string, Stats][] = [];
  const seen = walkTrees(
    roots,
    ignored,
    (path, st) => {
      if (st.isDirectory() ? view.get(path) !== 'dir' : st.isFile() && view.differs(path, st, strict))
        changed.push([path, st]);
    },
    known,
  );
  const gone = view.present().filter((p) => !seen.has(p) && !exists(p));
  return { changed, gone };
}

function exists(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false; // ENOTDIR: a parent is a file now
  }
}
