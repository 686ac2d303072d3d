// A service's logs in the two forms a test wants: `await svc.logs()` (the text so far) and
// `for await (const line of svc.logs({ follow: true }))` (lines as they come). One object is both:
// a thenable and an async iterable; the logs are read only when one of the two is used.
import type { LogLineOut } from '../commands/stream-logs.ts';
import type { LogLine, LogsOptions } from './types.ts';

/** Reads the lines (follow or not) into onLine until signal; a promise from onLine holds the reader back. */
export type ReadLogs = (
  o: { follow: boolean; since?: number; tail?: number; signal?: AbortSignal },
  onLine: (line: LogLine) => Promise<void> | void,
) => Promise<void>;

export const toLogLine = (l: LogLineOut): LogLine => ({
  service: l.source.service,
  container: l.source.id,
  stream: l.entry.stream,
  text: l.entry.text,
  time: new Date(l.entry.ms),
});

/** Lines of stdout and stderr interleaved by time, one per line of text. */
export const logText = (lines: readonly LogLine[]): string => lines.map((l) => `${l.text}\n`).join('');

/**
 * The result of {@link ServiceHandle.logs}: await it for the text written so far, or iterate it for
 * {@link LogLine}s (with `follow`, until the iteration stops or the signal aborts).
 */
export class Logs implements PromiseLike<string>, AsyncIterable<LogLine> {
  readonly #read: ReadLogs;
  readonly #o: LogsOptions;

  /** @internal */
  constructor(read: ReadLogs, o: LogsOptions) {
    this.#read = read;
    this.#o = o;
  }

  #window(): { since?: number; tail?: number } {
    const since = this.#o.since instanceof Date ? this.#o.since.getTime() : this.#o.since;
    return { ...(since !== undefined ? { since } : {}), ...(this.#o.tail !== undefined ? { tail: this.#o.tail } : {}) };
  }

  /** Every line written so far (never follows). */
  async lines(): Promise<LogLine[]> {
    const out: LogLine[] = [];
    await this.#read({ ...this.#window(), follow: false }, (l) => void out.push(l));
    return out;
  }

  then<A = string, B = never>(
    onFulfilled?: ((text: string) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): PromiseLike<A | B> {
    return this.lines().then(logText).then(onFulfilled, onRejected);
  }

  /** The lines, one at a time; with `follow`, new ones as they are written. */
  async *[Symbol.asyncIterator](): AsyncGenerator<LogLine> {
    const stop = new AbortController();
    const outer = this.#o.signal;
    const onAbort = (): void => stop.abort();
    outer?.addEventListener('abort', onAbort);
    if (outer?.aborted) stop.abort();
    // The reader waits until the consumer took what it gave, so memory stays one line.
    const queue: LogLine[] = [];
    let done = false;
    let failed: unknown;
    let wake: (() => void) | undefined;
    let resume: (() => void) | undefined;
    stop.signal.addEventListener('abort', () => wake?.());
    const reading = this.#read({ ...this.#window(), follow: this.#o.follow === true, signal: stop.signal }, (l) => {
      if (stop.signal.aborted) return; // the consumer left: the reader runs out, nothing held
      queue.push(l);
      wake?.();
      return new Promise<void>((r) => (resume = r));
    })
      .catch((e: unknown) => void (failed = e))
      .finally(() => {
        done = true;
        wake?.();
      });
    try {
      for (;;) {
        const line = queue.shift();
        if (line !== undefined) {
          yield line;
          if (queue.length === 0) resume?.();
        } else if (done || stop.signal.aborted) break;
        else await new Promise<void>((r) => (wake = r));
      }
      if (failed !== undefined) throw failed;
    } finally {
      outer?.removeEventListener('abort', onAbort);
      stop.abort();
      resume?.();
      await reading;
    }
  }
}
