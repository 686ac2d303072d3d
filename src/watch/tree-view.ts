// What the watcher last saw of each path of its trees: a file's signature, a directory, or gone.
// chokidar reports a burst's files again seconds after the raw events named them (the same file
// unchanged is no change), and a walk of the trees after a suspected inotify overflow (rescan.ts)
// is compared with it. A directory gone takes every path under it along, each one reported as
// removed: which of a removed tree's events the kernel dropped must not change what a sync says.
import { sep } from 'node:path';
import type { Stats } from 'node:fs';

const signature = (st: Stats): string => `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
// A signature taken this soon after the file's last change may not tell a later rewrite apart:
// timestamps move by the kernel's tick, so a same-size rewrite in the same tick keeps all four
// fields (git's "racy" index entries). A rescan takes such a file as changed. Two ticks at 100 Hz:
// longer re-copies every file of a burst at its next rescan (a burst's files are looked at as written).
const RACY_MS = 20;

export interface TreeView {
  /** 'dir', 'gone', a file's signature, or undefined for a path never seen. */
  get(path: string): string | undefined;
  /** Records path as a directory; false when it was one already. */
  dir(path: string): boolean;
  /** The file is not what was last seen; `strict`: a signature taken too close to its change counts as changed. */
  differs(path: string, st: Stats, strict: boolean): boolean;
  /** Records the file as seen; `own`: st was taken just now (chokidar's may be older: taken as racy). */
  file(path: string, st: Stats, own: boolean): void;
  /** Records path gone; returns what went: under a directory, its paths not gone yet first, then it. */
  gone(path: string, dir?: boolean): string[];
  /** Every path seen and not gone since. */
  present(): string[];
  /**
   * Events up to now were all delivered (no overflow suspected since the last call): a file
   * changed long enough ago to be told apart from any later rewrite is not racy any more.
   */
  delivered(): void;
  /**
   * The file is copied from `at` on (a streamed chunk handed over): false when its signature may
   * still hide a rewrite made after the copy read it (a rescan must look at it); else it is not racy.
   */
  copied(path: string, at: number): boolean;
}

export function treeView(): TreeView {
  const last = new Map<string, string>();
  const racy = new Map<string, number>(); // path → the ctime its signature holds
  return {
    get: (path) => last.get(path),
    dir(path) {
      if (last.get(path) === 'dir') return false;
      last.set(path, 'dir');
      return true;
    },
    differs: (path, st, strict) => last.get(path) !== signature(st) || (strict && racy.has(path)),
    file(path, st, own) {
      last.set(path, signature(st));
      if (!own || Date.now() - st.ctimeMs < RACY_MS) racy.set(path, st.ctimeMs);
      else racy.delete(path);
    },
    gone(path, dir = false) {
      const was = last.get(path);
      if (was === 'gone') return [];
      const went: string[] = [];
      if (dir || was === 'dir') {
        const under = path + sep;
        for (const [k, v] of last) {
          if (v === 'gone' || !k.startsWith(under)) continue;
          last.set(k, 'gone');
          racy.delete(k);
          went.push(k);
        }
      }
      last.set(path, 'gone');
      racy.delete(path);
      went.push(path);
      return went;
    },
    present: () => [...last].filter(([, v]) => v !== 'gone').map(([k]) => k),
    delivered() {
      // A rewrite that kept the signature came within RACY_MS of the change it hides: before now,
      // so its event was read (none was dropped); from now on, its ctime tells it apart.
      const before = Date.now() - RACY_MS;
      for (const [path, ctime] of racy) if (ctime <= before) racy.delete(path);
    },
    copied(path, at) {
      // A rewrite after the copy read the file has a ctime past `at` - a tick: not this signature's.
      const ctime = racy.get(path);
      if (ctime === undefined) return true;
      if (ctime > at - RACY_MS) return false;
      racy.delete(path);
      return true;
    },
  };
}
