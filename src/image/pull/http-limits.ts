// Bounds on what a registry may make gantry wait for or hold: a request that sends nothing for
// `timeoutMs` is aborted, small documents have a size cap and a whole-body deadline, and the
// "fetch failed" undici gives is replaced by its cause (redirect loop, connection closed).
import { RuntimeError } from '../../common/errors.ts';

export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface Watchdog {
  readonly signal: AbortSignal;
  /** Data arrived: the idle timer starts over. */
  readonly touch: () => void;
  readonly done: () => void;
}

export function watchdog(timeoutMs: number, what: string, outer?: AbortSignal): Watchdog {
  const c = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const touch = (): void => {
    clearTimeout(timer);
    timer = setTimeout(
      () => c.abort(new RuntimeError(`${what}: no data from the registry for ${timeoutMs / 1000}s`)),
      timeoutMs,
    );
  };
  touch();
  return { signal: outer ? AbortSignal.any([outer, c.signal]) : c.signal, touch, done: () => clearTimeout(timer) };
}

/** The message of a fetch failure with its cause, on one line. */
export function fetchFailure(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  const why = cause instanceof Error ? cause.message : cause === undefined ? '' : String(cause);
  return why && why !== err.message ? `${err.message} (${why})` : err.message;
}

/** Reads a whole response body, refusing more than `limit` bytes. */
export async function readLimited(res: Response, limit: number, what: string): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > limit) {
    await res.body?.cancel();
    throw new RuntimeError(`${what}: ${declared} bytes is more than the ${limit} gantry accepts`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of (res.body ?? []) as AsyncIterable<Uint8Array>) {
    size += c.byteLength;
    if (size > limit) throw new RuntimeError(`${what}: more than the ${limit} bytes gantry accepts`);
    chunks.push(Buffer.from(c));
  }
  return Buffer.concat(chunks);
}
