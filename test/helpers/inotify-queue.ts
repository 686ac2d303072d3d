// The watcher's overflow tests: the kernel's inotify queue filled (while this process reads no event,
// two watched files appended to in turn, as identical consecutive events would be merged into one,
// queue more events than fs.inotify.max_queued_events, so what happens next until the queue is read
// is dropped), and a watcher whose batches a test reads.
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ephemeral } from '../../src/watch/ephemeral.ts';
import { startWatcher, type Batch, type Change } from '../../src/watch/watcher.ts';

/** Makes dir/a and dir/b, the files `fill` appends to (they must be watched to queue events). */
export function queueFiller(dir: string): { fill(): void } {
  mkdirSync(dir, { recursive: true });
  const [a, b] = [join(dir, 'a'), join(dir, 'b')];
  writeFileSync(a, '');
  writeFileSync(b, '');
  const max = Number(readFileSync('/proc/sys/fs/inotify/max_queued_events', 'utf8'));
  return {
    fill() {
      // max rounds: twice the events it takes when only the directory is watched (two per round)
      for (let i = 0; i < max; i++) {
        appendFileSync(a, 'x');
        appendFileSync(b, 'x');
      }
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A watcher over dir (editor files and .git ignored, as gantry's) whose batches land in `batches`
 * (`onBatch` sees each first): a streamed burst's chunks and its end as one batch, as a session's
 * queue makes them one action. Closed, and dir removed, after the test. Resolves once it is ready.
 */
export async function batchesOf(
  t: { after(fn: () => Promise<void>): void },
  dir: string,
  onBatch: (b: Batch) => void = () => undefined,
): Promise<Batch[]> {
  const batches: Batch[] = [];
  let streamed = new Map<string, Change>();
  const w = await startWatcher({
    paths: [dir],
    ignored: ephemeral,
    onError: (e) => assert.fail(e),
    onStream: (chunk) => {
      for (const [path, change] of chunk) streamed.set(path, change);
    },
    onBatch: (end) => {
      const b = new Map([...streamed, ...end]);
      streamed = new Map();
      onBatch(b);
      batches.push(b);
    },
  });
  t.after(async () => {
    await w.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await w.ready;
  return batches;
}
