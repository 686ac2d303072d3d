// Waiting on the supervisor's own files, as ensureSupervisor does for each apply: its applied
// marker (renamed into place after each reload) and its pid file (linked once its SIGHUP handler is
// in place). An inotify watch on the project dir answers when one of them changes; a 10 ms poll
// answered up to 10 ms late and read the marker, the pid file and 2–3 /proc files each turn: 7–10
// turns per apply of a 10-service `up -d`, two applies per up (issue 20, bench/RESULTS.md "many11").
import { watch, type FSWatcher } from 'node:fs';

const NAMES: ReadonlySet<string> = new Set(['supervisor.applied', 'supervisor.pid']);

/**
 * The longest wait between looks with no event: a supervisor that dies at start, or a watch that
 * could not be set, changes no file.
 */
export const LOOK_AGAIN_MS = 100;

export interface FileChanges {
  /** Resolves at the next change of a supervisor file (at once if one came since the last call), or after LOOK_AGAIN_MS. */
  next(): Promise<void>;
  close(): void;
}

export function supervisorFileChanges(dir: string): FileChanges {
  let changed = false;
  let wake: (() => void) | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, { persistent: false }, (_event, name) => {
      if (name === null || !NAMES.has(String(name))) return;
      changed = true;
      wake?.();
    });
    watcher.on('error', () => undefined);
  } catch {
    // no watch (inotify's limit reached): the looks every LOOK_AGAIN_MS still see the change
  }
  return {
    next() {
      return new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          wake = undefined;
          changed = false;
          resolve();
        };
        const timer = setTimeout(done, changed ? 0 : LOOK_AGAIN_MS);
        wake = done;
      });
    },
    close() {
      wake = undefined;
      watcher?.close();
    },
  };
}
