// The file watcher: one chokidar watcher over every path of the project's rules, its events
// folded into batches by batcher.ts (a save handed over at once, a burst as one batch). No
// compose knowledge here: rules and actions are the session's.
import { statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { FSWatcher } from 'chokidar';
import { batcher, type Batch, type BatchTiming, type Change } from './batcher.ts';
import { handOver } from './hand-over.ts';
import { newDirs } from './new-dirs.ts';
import type { Differences } from './rescan.ts';
import { treeView } from './tree-view.ts';

export type { Batch, Change } from './batcher.ts';

export interface WatcherOptions extends BatchTiming {
  readonly paths: readonly string[];
  /** Paths never watched (their subtrees are not even read): .git, editors' temp files. */
  readonly ignored: (path: string) => boolean;
  /** A burst's batch: the paths of its chunks (streamed before, if `onStream`) are not in it. */
  readonly onBatch: (batch: Batch) => void;
  /**
   * A chunk of a burst still going on (batcher.ts): copied at once, so the copy overlaps the
   * writing; the burst's end is the next `onBatch`. Absent: a burst is one batch.
   */
  readonly onStream?: (chunk: Batch) => void;
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

export async function startWatcher(o: WatcherOptions): Promise<Watcher> {
  const { watch } = await import('chokidar');
  const view = treeView();
  /** Where a change goes: the pending batch, or the batch a rescan completes. */
  let note = (path: string, change: Change): void => b.note(path, change);
  const h = handOver({
    paths: o.paths,
    ignored: o.ignored,
    view,
    apply: (d) => apply(d),
    noteInto(into, fn) {
      note = (path, change) => void into.set(path, change);
      try {
        fn();
      } finally {
        note = (path, change) => b.note(path, change);
      }
    },
    onBatch: o.onBatch,
    ...(o.onStream ? { onStream: o.onStream } : {}),
  });
  const b = batcher(h.batch, o, h.chunk);
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
    h.event();
    fresh(path);
  });
  // A new directory starts a burst far more often than it is a save (git, an unpacked archive, cp -r):
  // its batch waits at least a burst's quiet, so the files a stalled writer puts in it later are not
  // a second sync. The listing also owes the batch the directory's files.
  const follow = (dir: string): void => {
    const release = b.hold();
    const quiet = new Promise((r) => setTimeout(r, o.burstQuietMs ?? 150).unref());
    void Promise.all([dirs.follow(dir), quiet]).finally(release);
  };
  /** A path an event named; `now`: an inotify event just now (a raw one), not chokidar's report of it. */
  const entry = (path: string, now: boolean, known?: Stats): void => {
    if (closed || o.ignored(path)) return;
    const st = known ?? statOf(path);
    const was = view.get(path);
    if (!st) {
      // Gone: a file chokidar never listed gets no 'unlink' from it, so the raw event says so.
      if (now && was !== undefined && was !== 'gone') gone(path);
      return;
    }
    if (!ready && !now) {
      // chokidar's initial scan: what each path is before any change (a rescan compares with it)
      if (st.isDirectory()) view.dir(path);
      else if (st.isFile()) view.file(path, st, true);
      return;
    }
    if (st.isDirectory()) {
      if (!view.dir(path)) return;
      note(path, 'write');
      follow(path);
    } else if (st.isFile()) {
      if (!now && !view.differs(path, st, false)) return;
      view.file(path, st, known === undefined);
      note(path, 'write');
    }
  };
  /** Notes what a walk found; returns how many paths differed. */
  const apply = (d: Differences): number => {
    for (const [path, st] of d.changed) {
      if (st.isDirectory()) {
        view.dir(path);
        void dirs.follow(path, false); // listed by this walk; its later events come from this watch
      } else view.file(path, st, true);
      note(path, 'write');
    }
    for (const path of d.gone) gone(path);
    return d.changed.length + d.gone.length;
  };
  const gone = (path: string, dir = false): void => {
    if (dir || view.get(path) === 'dir') dirs.forget(path);
    for (const p of view.gone(path, dir)) note(p, 'delete');
  };
  // A directory's watcher names an entry of it; a file's own watcher names the file by its base
  // name (statOf: ENOTDIR). A directory followed here already reports its entries.
  const raw = (name: string, at: string): void => {
    h.event();
    if (name && at && !dirs.has(at)) fresh(join(at, name));
  };
  // atomic: false — chokidar's atomic mode holds back deletions 100 ms to pair them with a
  // re-add; sync renames its own temp files, so a delete-then-add is just two changes here.
  // A directory made while watching is followed by newDirs alone: chokidar would list it again
  // (an lstat of every entry) each time an entry is added, at most once a second, and watch each
  // file on its own, which is most of the watcher's CPU in a burst of new files (bench/RESULTS.md).
  const w: FSWatcher = watch([...o.paths], {
    ignoreInitial: false, // its initial 'add's are the baseline a rescan compares with
    ignored: (p: string) => o.ignored(p) || dirs.has(p),
    atomic: false,
    followSymlinks: true,
  });
  w.on('add', (p, st) => entry(p, false, st))
    .on('change', (p, st) => entry(p, false, st))
    .on('addDir', (p, st) => entry(p, false, st))
    .on('raw', (_event, name, d) => raw(name ?? '', (d as { watchedPath?: string } | undefined)?.watchedPath ?? ''))
    // chokidar reports a removal late (after listing the parent again): a directory removed and
    // made again meanwhile is newDirs' now, and chokidar does not watch it; taking it as gone would
    // drop that watch and report its new files removed. What is on disk is looked at instead.
    .on('unlink', (p) => (statOf(p) ? fresh(p) : gone(p)))
    .on('unlinkDir', (p) => (statOf(p)?.isDirectory() ? fresh(p) : gone(p, true)))
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
      h.close();
      b.close();
      dirs.close();
      await w.close();
    },
  };
}
