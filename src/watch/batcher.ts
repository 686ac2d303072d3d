// Folds the watcher's events into batches (path → written or deleted, the last event wins) and
// decides when one is handed over. A save is handed over after `quietMs` without events, so a
// single file lands fast (removals alone wait four times as long: nobody waits on a removal,
// and a checkout starts with its removals). Once the batch looks like a burst (`burstAt` paths
// or more: a `git checkout`, an unpacked archive, `cp -r`) it waits for `burstQuietMs` of quiet
// instead, or twice the longest pause seen inside the burst when that is longer (at most
// 500 ms), so a stream of writes with stalls in it (a loaded machine) stays one batch and each
// service syncs and rebuilds once. `hold()` keeps the batch back while the watcher still owes it
// paths (a new directory being listed); `maxMs` bounds how long a steady stream is held back.
export type Change = 'write' | 'delete';
export type Batch = ReadonlyMap<string, Change>;

export interface BatchTiming {
  // 12 ms: below the gap between two writes of one save on a busy 2-core VM, far below the
  // 50 ms save→visible target. Measured with bench/watch.mjs.
  readonly quietMs?: number;
  readonly burstQuietMs?: number;
  readonly burstAt?: number;
  readonly maxMs?: number;
}

export interface Batcher {
  note(path: string, change: Change): void;
  /** An event came that will be noted once looked at: the quiet starts again. */
  touch(): void;
  /** Keeps the batch back until the returned release is called (once). */
  hold(): () => void;
  /** Drops what is pending; nothing is handed over after this. */
  close(): void;
}

export function batcher(onBatch: (batch: Batch) => void, t: BatchTiming = {}): Batcher {
  const quiet = t.quietMs ?? 12;
  const burstQuiet = t.burstQuietMs ?? 150;
  const burstAt = t.burstAt ?? 16;
  const max = t.maxMs ?? 30_000;
  let pending = new Map<string, Change>();
  let timer: NodeJS.Timeout | undefined;
  let checking: NodeJS.Immediate | undefined;
  let first = 0;
  let latest = 0;
  let gap = 0; // the longest pause between two events of the pending batch
  let writes = false; // the pending batch writes something (not only removals)
  let holds = 0;
  let closed = false;

  // One timer, moved lazily: a burst notes thousands of paths, and re-arming a timer for each
  // costs more than the rest of the bookkeeping. When the timer fires early (events came since it
  // was set), it is set again for what is left of the quiet wait.
  const due = (): number => {
    const bound = first + max;
    if (holds > 0) return bound;
    const wait = pending.size >= burstAt ? Math.max(burstQuiet, Math.min(2 * gap, 500)) : writes ? quiet : 4 * quiet;
    return Math.min(latest + wait, bound);
  };
  /** True when the quiet wait is not over yet (the timer is set again for the rest of it). */
  const later = (): boolean => {
    const left = due() - Date.now();
    if (left > 0) timer = setTimeout(fire, left);
    return left > 0;
  };
  const fire = (): void => {
    timer = undefined;
    if (pending.size === 0 || closed || later()) return;
    // Timers run before the loop reads new I/O: after a stall of this process the quiet may be
    // ours, not the tree's. The events read in this turn's poll touch() before the check.
    checking = setImmediate(check);
  };
  const check = (): void => {
    checking = undefined;
    if (pending.size === 0 || closed || later()) return;
    const batch = pending;
    pending = new Map();
    gap = 0;
    writes = false;
    onBatch(batch);
  };
  const arm = (): void => {
    if (timer) clearTimeout(timer);
    if (checking) clearImmediate(checking);
    timer = checking = undefined;
    if (pending.size === 0 || closed) return;
    timer = setTimeout(fire, Math.max(0, due() - Date.now()));
  };
  return {
    note(path, change) {
      if (closed) return;
      const now = Date.now();
      if (pending.size === 0) first = now;
      else gap = Math.max(gap, now - latest);
      latest = now;
      if (change === 'write') writes = true;
      pending.set(path, change);
      if (!timer && !checking) arm();
    },
    touch() {
      if (pending.size === 0) return;
      const now = Date.now();
      gap = Math.max(gap, now - latest);
      latest = now;
    },
    hold() {
      holds++;
      arm(); // a quiet wait already running must not hand the batch over now
      let done = false;
      return () => {
        if (done) return;
        done = true;
        holds--;
        arm();
      };
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      if (checking) clearImmediate(checking);
      timer = checking = undefined;
      pending = new Map();
    },
  };
}
