// Starting the C shim and reading its one-line start report from fd 3: "pid N" once the
// container's program is exec'd, or "error STEP ARG: REASON" when setup failed.
import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Host } from '../host.ts';

export const SHIM_GONE = 'the shim exited before starting the container';

export type StartReport = { readonly pid: number } | { readonly error: string };

export function readReport(child: ChildProcess): Promise<StartReport> {
  const pipe = child.stdio[3] as Readable | null | undefined;
  return new Promise((resolve) => {
    let text = '';
    const done = () => {
      const line = text.split('\n')[0] ?? '';
      if (line.startsWith('pid ')) resolve({ pid: Number(line.slice(4)) });
      else resolve({ error: line.startsWith('error ') ? line.slice(6) : SHIM_GONE });
    };
    if (!pipe) return resolve({ error: 'no report pipe' });
    pipe.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('\n')) {
        pipe.destroy();
        done();
      }
    });
    pipe.on('end', done);
    pipe.on('error', done);
  });
}

export interface ShimHandle {
  readonly child: ChildProcess;
  /** The shim's exit code (the program's; 128+N when killed by signal N), once its stdio closed. */
  readonly exit: Promise<number>;
  /**
   * With piped stdio: what the program wrote (collected from the start: Node discards unread
   * output at exit); with outputCap, only the last outputCap bytes of each stream.
   */
  readonly output: { stdout: string; stderr: string };
  /** Set when the shim binary could not be started at all (not built, not executable). */
  readonly failure: { error?: Error };
}

export function spawnShim(
  host: Host,
  plan: string,
  attach: 'inherit' | 'pipe' | 'ignore',
  detached: boolean,
  env: Readonly<Record<string, string>> = {},
  outputCap?: number,
): ShimHandle {
  const child = host.spawnShim(plan, { detached, stdio: attach, env });
  // Listen now: a fast program can be gone before the caller has read the start report.
  const failure: { error?: Error } = {};
  const exit = new Promise<number>((resolve) => {
    child.on('close', (code, sig) => resolve(code ?? (sig ? 128 : 125)));
    child.on('error', (err) => {
      failure.error = err; // e.g. ENOENT: never an unhandled 'error' event that kills gantry
      resolve(125);
    });
  });
  const output = { stdout: '', stderr: '' };
  if (outputCap === undefined) {
    child.stdout?.on('data', (d: Buffer) => (output.stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output.stderr += d.toString()));
  } else {
    // A probe printing hundreds of MB must not be held whole: keep a tail, keep draining the pipe.
    const out = new TailBuffer(outputCap);
    const err = new TailBuffer(outputCap);
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr?.on('data', (d: Buffer) => err.push(d));
    child.on('close', () => {
      output.stdout = out.text();
      output.stderr = err.text();
    });
  }
  if (detached) child.unref();
  return { child, exit, output, failure };
}

/** The last `cap` bytes written to it. */
export class TailBuffer {
  readonly #cap: number;
  #buf = Buffer.alloc(0);
  constructor(cap: number) {
    this.#cap = cap;
  }

  push(chunk: Buffer): void {
    const joined = chunk.length >= this.#cap ? chunk : Buffer.concat([this.#buf, chunk]);
    this.#buf = Buffer.from(joined.subarray(Math.max(0, joined.length - this.#cap))); // a copy: never pin a big chunk
  }

  text(): string {
    return this.#buf.toString('utf8');
  }
}

/** Waits for a detached (unref'd) shim, keeping the event loop alive meanwhile. */
export function waitShim(h: ShimHandle): Promise<number> {
  h.child.ref();
  return h.exit;
}

/** The one-line reason a start failed, naming the shim when it never ran or died early. */
export function shimFailure(h: ShimHandle, error: string, code: number, rerun: string): string {
  if (h.failure.error) return `cannot run the shim (${h.failure.error.message}; build it with npm run build)`;
  return error === SHIM_GONE ? `${error} (shim exit code ${code}; run it by hand: ${rerun})` : error;
}
