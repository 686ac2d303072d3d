// A batch's hand-over from the batcher to the session: whether the kernel's inotify queue may have
// overflowed meanwhile (its events counted, or ~4 per path), the rescan that then completes the
// batch, and the settle walk once the trees are quiet again (an overflow after the hand-over says
// nothing either). A burst's streamed chunks are remembered until its batch: the rescan lists them
// without a stat.
import type { Batch, Change } from './batcher.ts';
import { differences, overflowSuspectAt, type Differences } from './rescan.ts';
import type { TreeView } from './tree-view.ts';

// After a burst that may have overflowed the queue, the trees are walked once more when they have
// been quiet this long: events dropped after the burst's batch was handed over (nothing else would
// tell) are found then, in a follow-up batch.
const SETTLE_MS = 400;

export interface HandOverDeps {
  readonly paths: readonly string[];
  readonly ignored: (path: string) => boolean;
  readonly view: TreeView;
  /** Notes what a walk found, as the watcher notes an event; returns how many paths differed. */
  readonly apply: (d: Differences) => number;
  /** Runs fn with the changes it notes put in `into`, not in the pending batch. */
  readonly noteInto: (into: Map<string, Change>, fn: () => void) => void;
  readonly onBatch: (batch: Batch) => void;
  readonly onStream?: (chunk: Batch) => void;
}

export interface HandOver {
  /** An inotify event was read: one more in the queue's load, and the trees are not quiet. */
  event(): void;
  batch(batch: Batch): void;
  /** A burst's chunk, streamed (undefined without the deps' onStream). */
  readonly chunk: ((chunk: Batch) => void) | undefined;
  close(): void;
}

export function handOver(o: HandOverDeps): HandOver {
  const suspectAt = overflowSuspectAt();
  const { view } = o;
  let events = 0; // inotify events since the last batch was handed over
  let lastEvent = 0;
  let closed = false;
  // Files of the open burst streamed already whose copy a later rewrite's signature tells apart:
  // the hand-over's rescan lists them without a stat (the settle walk looks at them).
  const streamed = new Set<string>();
  let streamedPaths = 0;
  const batch = (b: Batch): void => {
    // The queue's load, estimated: the events counted, or ~4 per path (a file's watch and its
    // directory's), as libuv drops uncounted the events of a watch closed meanwhile.
    const load = Math.max(events, 4 * (b.size + streamedPaths));
    events = 0;
    if (load >= suspectAt / 4) settleWalk();
    // Not suspected: the files it saw change are not taken as changed again by the next rescan
    // (a burst handed over in two batches would copy the first one's files twice).
    if (load < suspectAt) view.delivered();
    const out = load >= suspectAt ? rescan(b) : b;
    streamed.clear();
    streamedPaths = 0;
    o.onBatch(out);
  };
  const onStream = o.onStream;
  const chunk = (c: Batch): void => {
    const at = Date.now(); // the chunk's copy reads its files after this
    streamedPaths += c.size;
    for (const [path, change] of c) {
      if (change === 'write' && view.copied(path, at)) streamed.add(path);
      else streamed.delete(path);
    }
    onStream!(c);
  };
  /** The batch, completed with what the trees hold now that the watcher was not told. */
  const rescan = (b: Batch): Batch => {
    const all = new Map(b);
    const known = (path: string): boolean => {
      const change = b.get(path);
      return change ? change === 'write' : streamed.has(path);
    };
    o.noteInto(all, () => o.apply(differences(o.paths, o.ignored, view, true, known)));
    return all;
  };
  let settling = false;
  let settle: NodeJS.Timeout | undefined;
  /** The trees walked once more after SETTLE_MS without events; what differs is a batch of its own. */
  const settleWalk = (): void => {
    if (settling || closed) return;
    settling = true;
    const check = (): void => {
      const left = lastEvent + SETTLE_MS - Date.now();
      // Timers run before the loop reads new I/O: the events this turn's poll reads come first.
      if (left > 0) settle = setTimeout(check, left);
      else setImmediate(walk);
    };
    const walk = (): void => {
      if (closed) return;
      if (lastEvent + SETTLE_MS > Date.now()) return check();
      settling = false;
      if (o.apply(differences(o.paths, o.ignored, view, false)) > 0) settleWalk(); // events were lost: more may be
    };
    settle = setTimeout(check, SETTLE_MS);
  };
  return {
    event() {
      events++;
      lastEvent = Date.now();
    },
    batch,
    chunk: onStream && chunk,
    close() {
      closed = true;
      clearTimeout(settle);
    },
  };
}
