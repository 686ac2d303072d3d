// The file watcher: one chokidar watcher over every path of the project's rules, its events
// folded into batches (path → written or deleted, the last event wins). A batch is handed over
// once the tree has been quiet for `quietMs`, so a `git checkout` of thousands of files arrives
// as one batch, not thousands; `maxMs` bounds how long a steady stream is held back. No compose
// knowledge here: rules and actions are the session's.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FSWatcher } from 'chokidar';

export type Change = 'write' | 'delete';
export type Batch = ReadonlyMap<string, Change>;

export interface WatcherOptions {
  readonly paths: readonly string[];
  /** Paths never watched (their subtrees are not even read): .git, editors' temp files. */
  readonly ignored: (path: string) => boolean;
  readonly onBatch: (batch: Batch) => void;
  readonly onError: (e: Error) => void;
  // 12 ms: below the gap between two writes of one burst on a busy 2-core VM, far below the
  // 50 ms save→visible target. Measured with bench/watch.mjs.
  readonly quietMs?: number;
  readonly maxMs?: number;
}

export interface Watcher {
  /** Resolves once the initial scan is done: changes after this are seen. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

export async function startWatcher(o: WatcherOptions): Promise<Watcher> {
  const { watch } = await import('chokidar');
  const quiet = o.quietMs ?? 12;
  const max = o.maxMs ?? 1500;
  let pending = new Map<string, Change>();
  let timer: NodeJS.Timeout | undefined;
  let first = 0;
  const flush = (): void => {
    timer = undefined;
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    o.onBatch(batch);
  };
  const note = (path: string, change: Change): void => {
    if (pending.size === 0) first = Date.now();
    pending.set(path, change);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, Math.max(0, Math.min(quiet, first + max - Date.now())));
  };
  // chokidar drops a file's 'change' events that follow another within 50 ms (its throttle),
  // and a save is often two writes (truncate, then data): the first alone would sync a half
  // written file and the rest would never come. Its raw events (one per inotify event, not
  // throttled) fill the gap: a raw 'change' in a watched directory notes that file again.
  const raw = (event: string, name: string, at: string): void => {
    if (event !== 'change' || !name) return;
    const path = join(at, name);
    if (o.ignored(path)) return;
    void stat(path).then(
      (st) => st.isFile() && note(path, 'write'),
      () => undefined,
    );
  };
  // A directory made with files in it (a checkout, `cp -r`, `mkdir x && write x/*`) races
  // chokidar's own scan of it: files written between its readdir and its watch are never
  // reported. So a new directory is listed once more after its events settle.
  const rescans = new Map<string, NodeJS.Timeout>();
  const rescan = (dir: string): void => {
    if (rescans.has(dir)) clearTimeout(rescans.get(dir));
    rescans.set(
      dir,
      setTimeout(() => {
        rescans.delete(dir);
        void readdir(dir, { recursive: true }).then(
          (names) => {
            for (const n of names) if (!o.ignored(join(dir, n))) note(join(dir, n), 'write');
          },
          () => undefined,
        );
      }, 100),
    );
  };
  // atomic: false — chokidar's atomic mode holds back deletions 100 ms to pair them with a
  // re-add; sync renames its own temp files, so a delete-then-add is just two changes here.
  const w: FSWatcher = watch([...o.paths], {
    ignoreInitial: true,
    ignored: (p: string) => o.ignored(p),
    atomic: false,
    followSymlinks: true,
  });
  w.on('add', (p) => note(p, 'write'))
    .on('change', (p) => note(p, 'write'))
    .on('raw', (event, name, d) =>
      raw(event, name ?? '', (d as { watchedPath?: string } | undefined)?.watchedPath ?? ''),
    )
    .on('addDir', (p) => (note(p, 'write'), rescan(p)))
    .on('unlink', (p) => note(p, 'delete'))
    .on('unlinkDir', (p) => note(p, 'delete'))
    .on('error', (e) => o.onError(e instanceof Error ? e : new Error(String(e))));
  const ready = new Promise<void>((resolve) => w.once('ready', () => resolve()));
  return {
    ready,
    async close() {
      if (timer) clearTimeout(timer);
      for (const t of rescans.values()) clearTimeout(t);
      timer = undefined;
      pending = new Map();
      await w.close();
    },
  };
}

// Files editors and git write around a save; Compose ignores the same ones.
const EPHEMERAL = [/\.sw[a-px]$/, /~$/, /^4913$/, /^\.#/, /^#.*#$/, /___jb_(tmp|old)___$/, /^\.gantry-fs\./];

/** True for a path under a .git directory or an editor's temporary file. */
export function ephemeral(path: string): boolean {
  const parts = path.split('/');
  const base = parts[parts.length - 1] ?? '';
  return parts.includes('.git') || EPHEMERAL.some((r) => r.test(base));
}
