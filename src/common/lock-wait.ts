// Waiting for a lock file (common/lock-file.ts) to change hands without polling it: an inotify
// watch (fs.watch) on the lock's directory wakes the waiter when the lock's name is removed or
// made, which is every release and every takeover. A holder killed with kill -9 leaves its lock
// in place and makes no event, so the waiter still looks again after a bounded time; and where
// no watch can be had (inotify instances used up, the directory gone) it polls as before.
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The poll of a waiter without a watch: short, as a release makes no other sign. */
const UNWATCHED_POLL_MS = 5;

export interface LockWatch {
  /**
   * Resolves at the lock's next change, at once when one came since the last call (a release
   * between an attempt and this wait is not lost), or after maxMs.
   */
  wait(maxMs: number): Promise<void>;
  close(): void;
}

/** Starts watching `file`'s directory; made before the attempt it is meant to follow. */
export function watchLock(file: string): LockWatch {
  const name = basename(file);
  let changed = false;
  let wake: (() => void) | undefined;
  let watcher: FSWatcher | undefined;
  const stop = (): void => {
    watcher?.close();
    watcher = undefined;
    wake?.();
  };
  try {
    watcher = watch(dirname(file), { persistent: false }, (_event, filename) => {
      if (filename !== null && filename !== name) return; // other locks, lock attempts' temp files
      changed = true;
      wake?.();
    });
    watcher.on('error', stop); // the directory went: poll instead
  } catch {
    watcher = undefined; // EMFILE/ENOSPC (inotify limits), ENOENT: poll instead
  }
  return {
    async wait(maxMs: number): Promise<void> {
      if (watcher === undefined) return void (await sleep(Math.min(maxMs, UNWATCHED_POLL_MS)));
      if (!changed) {
        const ac = new AbortController();
        await new Promise<void>((resolve) => {
          wake = resolve;
          sleep(maxMs, undefined, { signal: ac.signal }).then(resolve, () => undefined);
        });
        wake = undefined;
        ac.abort();
      }
      changed = false;
    },
    close: stop,
  };
}
