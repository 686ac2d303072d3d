// One small long-lived /bin/sh that runs requests for a gantry process and answers each on its
// stdout as lines "TAG WORD..." ending with "TAG end". Why: libuv forks the whole Node process for
// every spawn and blocks until the child has exec'd; the shell forks for a few hundred kB and the
// event loop never waits for it (issue 20: the shims of `up`, the supervisor's health probes).
// A request is two lines (tag, plan path); the script is a constant that parses nothing it is given.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

// Long enough that the requests of one burst (a dependency level's starts) share a spawner, short
// enough that an embedding process sees no lingering child soon after a command.
const IDLE_CLOSE_MS = 200;

interface Handle {
  ref?(): void;
  unref?(): void;
}

interface Waiter {
  readonly lines: string[];
  readonly onLine: ((line: string) => void) | undefined;
  readonly resolve: (lines: readonly string[]) => void;
}

export class TaggedSpawner {
  readonly #name: string;
  readonly #script: string;
  readonly #args: readonly string[];
  #child: ChildProcess | undefined;
  #next = 0;
  #buf = '';
  readonly #waiting = new Map<string, Waiter>();
  #idle: NodeJS.Timeout | undefined;
  readonly #idleMs: number;

  /** name: the shell's $0 (what ps and tests see); args: its positional parameters. */
  constructor(name: string, script: string, args: readonly string[], idleCloseMs = IDLE_CLOSE_MS) {
    this.#name = name;
    this.#script = script;
    this.#args = args;
    this.#idleMs = idleCloseMs;
  }

  /** Runs one request; resolves with its reply lines (tag stripped) once "end" came, or the shell died. */
  request(plan: string, onLine?: (line: string) => void): Promise<readonly string[]> {
    if (plan.includes('\n')) return Promise.reject(new Error('a plan path with a newline'));
    clearTimeout(this.#idle);
    const child = this.#spawner();
    const tag = String(this.#next++);
    return new Promise((resolve) => {
      this.#waiting.set(tag, { lines: [], onLine, resolve });
      this.#hold();
      (child.stdin as Writable).write(`${tag}\n${plan}\n`);
    });
  }

  #spawner(): ChildProcess {
    if (this.#child) return this.#child;
    // Its own session (as a detached shim had): a terminal's Ctrl-C reaches gantry, not the shims.
    // An empty environment, as a shim spawned directly had: the container gets only its plan's.
    const child = spawn('/bin/sh', ['-c', this.#script, this.#name, ...this.#args], {
      detached: true,
      stdio: ['pipe', 'pipe', 'ignore'],
      env: {},
    });
    const gone = (): void => {
      if (this.#child !== child) return; // one closed when idle: a newer one may serve by now
      this.#child = undefined;
      for (const [tag, w] of this.#waiting) this.#finish(tag, w);
    };
    child.on('error', gone);
    child.on('close', gone);
    (child.stdout as Readable).on('data', (d: Buffer) => this.#read(d.toString()));
    // It ends when our end of its stdin closes, i.e. with this process; idle, it keeps nothing alive.
    child.unref();
    (child.stdin as Writable).on('error', () => undefined);
    (child.stdin as unknown as Handle).unref?.();
    this.#child = child;
    this.#hold();
    return child;
  }

  #read(text: string): void {
    this.#buf += text;
    const lines = this.#buf.split('\n');
    this.#buf = lines.pop() ?? '';
    for (const line of lines) {
      const at = line.indexOf(' ');
      const w = this.#waiting.get(at < 0 ? line : line.slice(0, at));
      if (w === undefined) continue;
      const rest = at < 0 ? '' : line.slice(at + 1);
      if (rest === 'end') this.#finish(line.slice(0, at), w);
      else {
        w.lines.push(rest);
        w.onLine?.(rest);
      }
    }
    this.#hold();
  }

  /** While a request waits, the reply pipe keeps the event loop alive; idle, it does not. */
  #hold(): void {
    const out = this.#child?.stdout as unknown as Handle | undefined;
    if (this.#waiting.size > 0) {
      clearTimeout(this.#idle);
      out?.ref?.();
    } else {
      out?.unref?.();
      this.#closeWhenIdle();
    }
  }

  // A process that embeds gantry (the Node API in a test suite) lives on after `up`: a spawner left
  // idle would be a child of it for good, one per runtime host. Ending its stdin ends it; a later
  // request forks a new one (one fork per burst at worst, not one per request).
  #closeWhenIdle(): void {
    clearTimeout(this.#idle);
    const child = this.#child;
    if (child === undefined) return;
    this.#idle = setTimeout(() => {
      if (this.#waiting.size > 0 || this.#child !== child) return;
      this.#child = undefined;
      (child.stdin as Writable).end();
    }, this.#idleMs);
    this.#idle.unref();
  }

  #finish(tag: string, w: Waiter): void {
    this.#waiting.delete(tag);
    w.resolve(w.lines);
  }
}
