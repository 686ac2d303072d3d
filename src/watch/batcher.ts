// Folds the watcher's events into batches (path → written or deleted, the last event wins) and
// decides when one is handed over. A save is handed over after `quietMs` without events, so a
// single file lands fast (removals alone wait four times as long: nobody waits on a removal,
// and a checkout starts with its removals). Once the batch looks like a burst (`burstAt` paths
// or more: a `git checkout`, an unpacked archive, `cp -r`) it waits for `burstQuietMs` of quiet
// instead, or twice the longest pause seen inside the burst when that is longer (at most
// 500 ms), so a stream of writes with stalls in it (a loaded machine) stays one batch and each
// service syncs and rebuilds once. `hold()` keeps the batch back while the watcher still owes it
// paths (a new directory being listed); `maxMs` bounds how long a steady stream is held back.
// Given `onChunk`, a burst streams: every STREAM_EVERY_MS its paths left alone for `streamAgeMs`
// are handed over as a chunk while the rest still comes (the copy overlaps the writing); the
// batch handed over at the burst's quiet (maybe empty) holds what is left and ends the burst.
export type Change = 'write' | 'delete';
export type Batch = ReadonlyMap<string, Change>;

export interface BatchTiming {
  // 12 ms: below the gap between two writes of one save on a busy 2-core VM, far below the
  // 50 ms save→visible target. Measured with bench/watch.mjs.
  readonly quietMs?: number;
  readonly burstQuietMs?: number;
  readonly burstAt?: number;
  readonly maxMs?: number;
  /** How long a burst's path must be left alone before it is streamed (default 30 ms). */
  readonly streamAgeMs?: number;
}

// Often enough that the copy keeps up with a writer, seldom enough that routing a chunk costs little.
const STREAM_EVERY_MS = 50;

export interface Batcher {
  note(path: string, change: Change): void;
  /** An event came that will be noted once looked at: the quiet starts again. */
  touch(): void;
  /** Keeps the batch back until the returned release is called (once). */
  hold(): () => void;
  /** Drops what is pending; nothing is handed over after this. */
  close(): void;
}

export function batcher(
  onBatch: (batch: Batch) => void,
  t: BatchTiming = {},
  onChunk?: (chunk: Batch) => void,
): Batcher {
  const quiet = t.quietMs ?? 12;
  const burstQuiet = t.burstQuietMs ?? 150;
  const burstAt = t.burstAt ?? 16;
  const max = t.maxMs ?? 30_000;
  // Older than RACY_MS (tree-view.ts), so a streamed file's signature tells a later rewrite apart.
  const age = t.streamAgeMs ?? 30;
  let pending = new Map<string, Change>();
  // When each pending path was last noted, oldest first (kept only when streaming).
  const noted = new Map<string, number>();
  let streamed = 0; // paths of the open burst handed over as chunks
  let cutting: NodeJS.Timeout | undefined;
  let timer: NodeJS.Timeout | undefined;
  let checking: NodeJS.Immediate | undefined;
  let first = 0;
  let latest = 0;
  let gap = 0; // the longest pause between two events of the pending batch
  let writes = false; // the pending batch writes something (not only removals)
  let holds = 0;
  let closed = false;
  // Batches handed over in the last burstQuiet ms [at, paths]: a writer slower than one path per
  // save quiet (a loaded machine) hands over save after save; once they add up to burstAt, the
  // rest is a burst (burst18: 12 syncs of 4–24 files, at load 24, before the burst streamed).
  let handed: [number, number][] = [];
  const isBurst = (): boolean => {
    const since = Date.now() - burstQuiet;
    handed = handed.filter(([at]) => at > since);
    return handed.reduce((n, [, k]) => n + k, pending.size) >= burstAt;
  };

  // One timer, moved lazily: a burst notes thousands of paths, and re-arming a timer for each
  // costs more than the rest of the bookkeeping. When the timer fires early (events came since it
  // was set), it is set again for what is left of the quiet wait.
  const due = (): number => {
    const bound = first + max;
    if (holds > 0) return bound;
    // A streamed burst's files are copied already: its quiet wait only puts off its end (the sync
    // event, a restart, an exec), so it waits twice as long, and a stalled writer splits it less.
    const wait =
      streamed > 0
        ? Math.max(2 * burstQuiet, Math.min(2 * gap, 1_000))
        : isBurst()
          ? Math.max(burstQuiet, Math.min(2 * gap, 500))
          : writes
            ? quiet
            : 4 * quiet;
    return Math.min(latest + wait, bound);
  };
  /** True when the quiet wait is not over yet (the timer is set again for the rest of it). */
  const later = (): boolean => {
    const left = due() - Date.now();
    if (left > 0) timer = setTimeout(fire, left);
    return left > 0;
  };
  const open = (): boolean => pending.size > 0 || streamed > 0;
  const fire = (): void => {
    timer = undefined;
    if (!open() || closed || later()) return;
    // Timers run before the loop reads new I/O: after a stall of this process the quiet may be
    // ours, not the tree's. The events read in this turn's poll touch() before the check.
    checking = setImmediate(check);
  };
  const check = (): void => {
    checking = undefined;
    if (!open() || closed || later()) return;
    const batch = pending;
    pending = new Map();
    noted.clear();
    streamed = 0;
    if (cutting) clearTimeout(cutting);
    cutting = undefined;
    gap = 0;
    writes = false;
    handed.push([Date.now(), batch.size]);
    onBatch(batch);
  };
  const arm = (): void => {
    if (timer) clearTimeout(timer);
    if (checking) clearImmediate(checking);
    timer = checking = undefined;
    if (!open() || closed) return;
    timer = setTimeout(fire, Math.max(0, due() - Date.now()));
  };
  /** The burst's paths left alone long enough, handed over now; the rest waits for the next cut. */
  const cut = (): void => {
    cutting = undefined;
    if (closed || !onChunk) return;
    const before = Date.now() - age;
    const chunk = new Map<string, Change>();
    for (const [path, at] of noted) {
      if (at > before) break;
      chunk.set(path, pending.get(path)!);
      pending.delete(path);
      noted.delete(path);
    }
    if (pending.size > 0) cutting = setTimeout(cut, STREAM_EVERY_MS);
    if (chunk.size === 0) return;
    streamed += chunk.size;
    onChunk(chunk);
  };
  return {
    note(path, change) {
      if (closed) return;
      const now = Date.now();
      if (!open()) first = now;
      else gap = Math.max(gap, now - latest);
      latest = now;
      if (change === 'write') writes = true;
      pending.set(path, change);
      if (onChunk) {
        noted.delete(path); // to the end: the order is the last note's
        noted.set(path, now);
        if (!cutting && (streamed > 0 || isBurst())) cutting = setTimeout(cut, STREAM_EVERY_MS);
      }
      if (!timer && !checking) arm();
    },
    touch() {
      if (!open()) return;
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
      if (cutting) clearTimeout(cutting);
      timer = checking = cutting = undefined;
      pending = new Map();
      noted.clear();
    },
  };
}
