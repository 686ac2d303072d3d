// The watched trees walked again after a burst that may have overflowed the kernel's inotify queue.
// When more than fs.inotify.max_queued_events events wait unread (a 5,000-file `git checkout` is
// ~20,000: chokidar watches every file as well as its directory), the kernel drops the rest and
// libuv drops the overflow marker (it names no watch), so the watcher is never told. git writes the
// files it changes after its removals, so those are the events lost. The walk is the only way to
// learn what changed meanwhile; it runs only after a burst of that size (a 5,000-file walk is
// ~25 ms idle, ~150 ms on a loaded 2-core VM).
import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';

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
 * reached twice is walked once) that `ignored` lets through; returns the paths visited.
 */
export function walkTrees(
  roots: readonly string[],
  ignored: (path: string) => boolean,
  visit: (path: string, st: Stats) => void,
): Set<string> {
  const seen = new Set<string>();
  const dirs = new Set<string>();
  const go = (path: string): void => {
    if (seen.has(path) || ignored(path)) return;
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
    let names: string[];
    try {
      names = readdirSync(path);
    } catch {
      return;
    }
    for (const n of names) go(join(path, n));
  };
  for (const r of roots) go(r);
  return seen;
}
