// The file watcher: one chokidar watcher over every path of the project's rules, its events
// folded into batches by batcher.ts (a save handed over at once, a burst as one batch). No
// compose knowledge here: rules and actions are the session's.
import { statSync, type Stats } from 'node:fs';
import { join, sep } from 'node:path';
import type { FSWatcher } from 'chokidar';
import { batcher, type Batch, type BatchTiming, type Change } from './batcher.ts';
import { newDirs } from './new-dirs.ts';
import { overflowSuspectAt, walkTrees } from './rescan.ts';

export type { Batch, Change } from './batcher.ts';

export interface WatcherOptions extends BatchTiming {
  readonly paths: readonly string[];
  /** Paths never watched (their subtrees are not even read): .git, editors' temp files. */
  readonly ignored: (path: string) => boolean;
  readonly onBatch: (batch: Batch) => void;
  readonly onError: (e: Error) => void;
}

export interface Watcher {
  /** Resolves once the initial scan is done: changes after this are seen. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/** A raw event of a file's own watcher names file/basename: ENOTDIR, as a path gone meanwhile is ENOENT. */
function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

const signature = (st: Stats): string => `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
// A signature taken this soon after the file's last change may not tell a later rewrite apart:
// timestamps move by the kernel's tick, so a same-size rewrite in the same tick keeps all four
// fields (git's "racy" index entries). A rescan takes such a file as changed. Two ticks at 100 Hz:
// longer re-copies every file of a burst at its next rescan (a burst's files are looked at as written).
const RACY_MS = 20;

export async function startWatcher(o: WatcherOptions): Promise<Watcher> {
  const { watch } = await import('chokidar');
  const suspectAt = overflowSuspectAt();
  let events = 0; // inotify events since the last batch was handed over
  const b = batcher((batch) => {
    const n = events;
    events = 0;
    o.onBatch(n >= suspectAt ? rescan(batch) : batch);
  }, o);
  /** Where a change goes: the pending batch, or the batch a rescan completes. */
  let note = (path: string, change: Change): void => b.note(path, change);
  // What each path was when last reported: a file's signature, 'dir', or 'gone'. chokidar
  // reports a burst's files again seconds after the raw events did; the same file unchanged is
  // not a change (it would be a second sync of the whole burst).
  const last = new Map<string, string>();
  const racy = new Set<string>();
  /** `own`: st was taken just now (chokidar's report of a change may be older: taken as racy). */
  const record = (path: string, st: Stats, own: boolean): string => {
    const sig = signature(st);
    last.set(path, sig);
    if (!own || Date.now() - st.ctimeMs < RACY_MS) racy.add(path);
    else racy.delete(path);
    return sig;
  };
  let closed = false;
  let ready = false;
  // Raw events (one per inotify event, neither throttled nor queued behind chokidar's own work)
  // name a file as soon as it is created or written: chokidar drops a file's 'change' events that
  // follow another within 50 ms (a save in two writes would sync half a file), and it reports a
  // new file only after listing its directory again. A write is several events (create, modify,
  // attrib) that arrive together: each path is looked at once per turn of the event loop.
  let turn = new Set<string>();
  const fresh = (path: string): void => {
    if (turn.size === 0) setImmediate(drain);
    turn.add(path);
    b.touch();
  };
  const drain = (): void => {
    const paths = turn;
    turn = new Set();
    for (const p of paths) entry(p, true);
  };
  const dirs = newDirs((path) => {
    events++;
    fresh(path);
  });
  const follow = (dir: string): void => {
    const release = b.hold(); // the listing still owes this batch the directory's files
    void dirs.follow(dir).finally(release);
  };
  /** A path an event named; `now`: an inotify event just now (a raw one), not chokidar's report of it. */
  const entry = (path: string, now: boolean, known?: Stats): void => {
    if (closed || o.ignored(path)) return;
    const st = known ?? statOf(path);
    const was = last.get(path);
    if (!st) {
      // Gone: a file chokidar never listed gets no 'unlink' from it, so the raw event says so.
      if (now && was !== undefined && was !== 'gone') gone(path);
      return;
    }
    if (!ready && !now) {
      // chokidar's initial scan: what each path is before any change (a rescan compares with it)
      if (st.isDirectory()) last.set(path, 'dir');
      else if (st.isFile()) record(path, st, true);
      return;
    }
    if (st.isDirectory()) {
      if (was === 'dir') return;
      last.set(path, 'dir');
      note(path, 'write');
      follow(path);
    } else if (st.isFile()) {
      if (!now && was === signature(st)) return;
      record(path, st, known === undefined);
      note(path, 'write');
    }
  };
  /** The batch, completed with what the trees hold now that the watcher was not told. */
  const rescan = (batch: Batch): Batch => {
    const all = new Map(batch);
    note = (path, change) => void all.set(path, change);
    try {
      const seen = walkTrees(
        o.paths,
        o.ignored,
        (path, st) => {
          const was = last.get(path);
          if (st.isDirectory()) {
            if (was === 'dir') return;
            last.set(path, 'dir');
            note(path, 'write');
            void dirs.follow(path, false); // listed by this walk; its later events come from this watch
          } else if (st.isFile() && (was !== signature(st) || racy.has(path))) {
            record(path, st, true);
            note(path, 'write');
          }
        },
        (path) => batch.get(path) === 'write',
      );
      for (const [path, was] of last) if (was !== 'gone' && !seen.has(path)) gone(path);
    } finally {
      note = (path, change) => b.note(path, change);
    }
    return all;
  };
  const gone = (path: string, dir = false): void => {
    const was = last.get(path);
    if (was === 'gone') return;
    if (dir || was === 'dir') {
      // What was under a directory went with it: one removal of the tree, not one per file.
      dirs.forget(path);
      for (const k of last.keys()) if (k.startsWith(path + sep)) last.set(k, 'gone');
    }
    last.set(path, 'gone');
    racy.delete(path);
    note(path, 'delete');
  };
  // A directory's watcher names an entry of it; a file's own watcher names the file by its base
  // name (statOf: ENOTDIR). A directory followed here already reports its entries.
  const raw = (name: string, at: string): void => {
    events++;
    if (name && at && !dirs.has(at)) fresh(join(at, name));
  };
  // atomic: false — chokidar's atomic mode holds back deletions 100 ms to pair them with a
  // re-add; sync renames its own temp files, so a delete-then-add is just two changes here.
  const w: FSWatcher = watch([...o.paths], {
    ignoreInitial: false, // its initial 'add's are the baseline a rescan compares with
    ignored: (p: string) => o.ignored(p),
    atomic: false,
    followSymlinks: true,
  });
  w.on('add', (p, st) => entry(p, false, st))
    .on('change', (p, st) => entry(p, false, st))
    .on('addDir', (p, st) => entry(p, false, st))
    .on('raw', (_event, name, d) => raw(name ?? '', (d as { watchedPath?: string } | undefined)?.watchedPath ?? ''))
    .on('unlink', (p) => gone(p))
    .on('unlinkDir', (p) => gone(p, true))
    .on('error', (e) => o.onError(e instanceof Error ? e : new Error(String(e))));
  return {
    ready: new Promise<void>((resolve) =>
      w.once('ready', () => {
        ready = true;
        resolve();
      }),
    ),
    async close() {
      closed = true;
      b.close();
      dirs.close();
      await w.close();
    },
  };
}

// Files editors and git write around a save; Compose ignores the same ones.
const EPHEMERAL = [/\.sw[a-px]$/, /~$/, /^4913$/, /^\.#/, /^#.*#$/, /___jb_(tmp|old)___$/, /^\.gantry-fs\./];

/** True for a path under a .git directory or an editor's temporary file. */
export function ephemeral(path: string): boolean {
  // Called for every event of a burst: no split, no array.
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base === '.git' || path.includes('/.git/') || EPHEMERAL.some((r) => r.test(base));
}
