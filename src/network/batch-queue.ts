// Coalesces `ip -batch` lines that many callers ask for at about the same time (up creating eight
// namespaces at once, down deleting them) into one `ip` process: a batch of eight `netns del`
// takes ≈ 4 ms, eight parallel `ip` processes ≈ 40 ms plus Node's spawn cost each.
// Lines queued while a batch runs form the next one. `ip -batch` stops at the first bad line, so
// after a failed batch each line whose effect is not there yet is redone alone, so each caller
// gets its own line's result.
import type { NetHost } from './host.ts';

interface Pending {
  readonly line: string;
  readonly isDone: () => boolean;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

interface Queue {
  waiting: Pending[];
  running: boolean;
}

const queues = new WeakMap<NetHost, Queue>();

async function drain(host: NetHost, q: Queue): Promise<void> {
  q.running = true;
  while (q.waiting.length > 0) {
    const batch = q.waiting;
    q.waiting = [];
    try {
      await host.ipBatch(batch.map((p) => p.line));
      for (const p of batch) p.resolve();
    } catch (e) {
      if (batch.length === 1) batch[0]!.reject(e);
      else
        for (const p of batch)
          await (p.isDone() ? Promise.resolve() : host.ipBatch([p.line])).then(p.resolve, p.reject);
    }
  }
  q.running = false;
}

/**
 * Runs one host-side `ip` batch line together with the lines other callers queue meanwhile.
 * isDone tells, after a failed batch, whether this line took effect before the failure.
 */
export function queueIpLine(host: NetHost, line: string, isDone: () => boolean): Promise<void> {
  const q = queues.get(host) ?? { waiting: [], running: false };
  queues.set(host, q);
  return new Promise<void>((resolve, reject) => {
    q.waiting.push({ line, isDone, resolve, reject });
    // Started on the next macrotask so callers released by the same event join the first batch.
    if (!q.running) {
      q.running = true;
      setImmediate(() => void drain(host, q));
    }
  });
}
