// Directories made while watching, followed at once by a watch of our own. chokidar starts
// watching a new directory only after it has listed it and set up a watch per file in it: in a
// 5,000-file checkout that takes seconds under load, files written meanwhile surface late (in a
// later batch, a second sync) and files written between its listing and its watch never do.
// Here the watch starts first and the listing follows, so nothing falls in between, and each
// entry is reported as it appears. One inotify watch per new directory, until it goes.
import { watch, type FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface NewDirs {
  /** Watches dir (once) and reports every entry it holds (unless `list` is false); resolves when listed. */
  follow(dir: string, list?: boolean): Promise<void>;
  /** dir is watched here (its events come from this watch; another watch of it repeats them). */
  has(dir: string): boolean;
  /** dir is gone: its watch (and those under it) end. */
  forget(dir: string): void;
  close(): void;
}

export function newDirs(onEntry: (path: string) => void): NewDirs {
  const watched = new Map<string, FSWatcher>();
  const forget = (dir: string): void => {
    for (const [d, w] of watched) {
      if (d !== dir && !d.startsWith(`${dir}/`)) continue;
      w.close();
      watched.delete(d);
    }
  };
  return {
    async follow(dir, list = true) {
      if (watched.has(dir)) return;
      let w: FSWatcher;
      try {
        w = watch(dir, { persistent: false }, (_event, name) => name && onEntry(join(dir, String(name))));
      } catch {
        return; // gone already, or not a directory any more
      }
      w.on('error', () => forget(dir));
      watched.set(dir, w);
      if (!list) return;
      const names = await readdir(dir).catch(() => []);
      for (const n of names) onEntry(join(dir, n));
    },
    has: (dir) => watched.has(dir),
    forget,
    close() {
      for (const w of watched.values()) w.close();
      watched.clear();
    },
  };
}
