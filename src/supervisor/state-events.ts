// Which supervised containers changed state, learnt from inotify (fs.watch) instead of a poll: the
// runtime replaces state.json by rename on every start, pause and stop, and the shim renames its
// status file into place when PID 1 exits; create and delete rename the container's directory in
// the containers dir. A poll every 200 ms read every container's files (issue 20: 1,103 openat per
// 5 s for 60 idle containers); the watches cost nothing until something happens.
import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';

/** The files whose change can change a container's derived state (runtime/state.ts, container.ts). */
const STATE_FILES = new Set(['state.json', 'status']);
/**
 * The container's log is in the same directory: a chatty container would wake us on every write
 * (one `while echo` loop: 900 ms of supervisor CPU per 10 s, against 70-80 for the 200 ms poll). At
 * its first write the watch rests this long, then returns with a look: a talker is polled at the
 * old poll's pace (130 ms per 10 s), a quiet container stays event-driven.
 */
const REST_MS = 200;
/**
 * The log and its rotations (runtime/state.ts, log-files.ts): a talker's writes, which rest the
 * watch. Any other file of the directory (the plan, cgroup-ready, seccomp, written by each start)
 * changes no state: a start rested the watch for REST_MS, so the supervisor saw it 200 ms late and an
 * `up`'s closing sync had to make it re-read every container instead (bench/RESULTS.md, "up12").
 */
const isLog = (name: string): boolean => name === 'container.log' || name.startsWith('container.log.');
/** Staging names of create and delete (runtime/staging.ts) end with the id they wrap. */
const STAGING = /^\.(?:creating|deleting)\.\d+\.(.*)$/;

export class StateEvents {
  readonly #dirOf: (id: string) => string;
  readonly #onDirty: (ids: ReadonlySet<string>) => void;
  readonly #dirs = new Map<string, FSWatcher | undefined>();
  readonly #resting = new Map<string, NodeJS.Timeout>();
  #parent: FSWatcher | undefined;
  #parentPath: string | undefined;
  #dirty = new Set<string>();
  #flushing = false;

  /** dirOf: a container's state directory; onDirty gets the ids to look at again, coalesced per turn. */
  constructor(dirOf: (id: string) => string, onDirty: (ids: ReadonlySet<string>) => void) {
    this.#dirOf = dirOf;
    this.#onDirty = onDirty;
  }

  /** Watches exactly these containers (a container not created yet is watched once it appears). */
  follow(ids: Iterable<string>): void {
    const want = new Set(ids);
    for (const [id, w] of this.#dirs) {
      if (want.has(id)) continue;
      w?.close();
      this.#dirs.delete(id);
      clearTimeout(this.#resting.get(id));
      this.#resting.delete(id);
    }
    for (const id of want) {
      if (!this.#parent) this.#watchParent(dirname(this.#dirOf(id)));
      if (!this.#dirs.get(id) && !this.#resting.has(id)) this.#rearm(id);
    }
  }

  /** A new watch on the container's directory: after a recreate the old one watches a removed inode. */
  #rearm(id: string): void {
    this.#dirs.get(id)?.close();
    let w: FSWatcher | undefined;
    try {
      w = watch(this.#dirOf(id), { persistent: false }, (_event, name) => {
        if (this.#dirs.get(id) !== w) return; // closed meanwhile (rest, re-arm)
        if (name === null || STATE_FILES.has(String(name))) this.#mark(id);
        else if (isLog(String(name))) this.#rest(id);
      });
      // The directory went away (delete): the containers dir's watch re-arms on its return.
      w.on('error', () => {
        if (this.#dirs.get(id) === w) this.#dirs.set(id, undefined);
        w?.close();
        this.#mark(id);
      });
    } catch {
      w = undefined; // not created yet, or being deleted
    }
    this.#dirs.set(id, w);
  }

  #rest(id: string): void {
    this.#dirs.get(id)?.close();
    this.#dirs.set(id, undefined);
    clearTimeout(this.#resting.get(id));
    const timer = setTimeout(() => {
      this.#resting.delete(id);
      if (!this.#dirs.has(id)) return; // no longer followed
      this.#rearm(id);
      this.#mark(id); // whatever happened while it rested
    }, REST_MS);
    timer.unref();
    this.#resting.set(id, timer);
  }

  #watchParent(path: string): void {
    this.#parentPath = path;
    try {
      this.#parent = watch(path, { persistent: false }, (_event, name) => {
        const entry = name === null ? undefined : String(name);
        const id = entry === undefined ? undefined : (STAGING.exec(entry)?.[1] ?? entry);
        if (id === undefined || !this.#dirs.has(id)) return;
        this.#rearm(id); // created, renamed into place or deleted: the old watch (if any) is stale
        this.#mark(id);
      });
      this.#parent.on('error', () => this.#closeParent());
    } catch {
      this.#parent = undefined; // no containers dir yet: the liveness check covers the meantime
    }
  }

  #closeParent(): void {
    this.#parent?.close();
    this.#parent = undefined;
  }

  /** Every id followed. */
  ids(): ReadonlySet<string> {
    return new Set(this.#dirs.keys());
  }

  /** Re-arms the watches that could not be set: their containers may have changed unseen. */
  rearmMissing(): ReadonlySet<string> {
    if (!this.#parent && this.#parentPath !== undefined) this.#watchParent(this.#parentPath);
    const missed = new Set<string>();
    for (const [id, w] of this.#dirs) {
      if (w || this.#resting.has(id)) continue;
      missed.add(id);
      this.#rearm(id);
    }
    return missed;
  }

  #mark(id: string): void {
    this.#dirty.add(id);
    if (this.#flushing) return;
    this.#flushing = true;
    // One look per burst: a start renames state.json more than once within a few milliseconds.
    setImmediate(() => {
      this.#flushing = false;
      const ids = this.#dirty;
      this.#dirty = new Set();
      if (ids.size > 0) this.#onDirty(ids);
    });
  }

  close(): void {
    for (const t of this.#resting.values()) clearTimeout(t);
    this.#resting.clear();
    for (const w of this.#dirs.values()) w?.close();
    this.#dirs.clear();
    this.#closeParent();
  }
}
