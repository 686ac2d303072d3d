// Detached shims started through one small long-lived /bin/sh per gantry process, not one Node
// spawn each. Why: libuv forks the whole CLI for every spawn and blocks until the child has
// exec'd; a 30-service `up -d` made 45 spawns, 30 of them shims, for ≈ 5.7 s of synchronous spawn
// time under load (issue 20, bench/RESULTS.md). The spawner is forked once; each shim is forked
// from it (a few hundred kB), and the event loop never waits for it.
// Protocol: a request is two lines (tag, plan path); each reply line is "TAG shim PID" (the
// shim's pid), then what the shim wrote to its report fd ("pid N" / "error ..."), then "TAG end"
// once the report pipe closed. Nothing is parsed by the shell: the script is a constant.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

export interface SpawnedShim {
  /** The shim's pid, undefined when it could not be forked. */
  readonly shimPid: number | undefined;
  /** Its report line ("pid N" / "error ..."), undefined when the report pipe closed without one. */
  readonly report: string | undefined;
}

// The shim's fd 3 is the pipe into the tagging loop; stdio is /dev/null as for a detached spawn.
const SCRIPT = [
  'shim=$1',
  'while IFS= read -r tag && IFS= read -r plan; do',
  '  { "$shim" "$plan" 3 3>&1 >/dev/null 2>&1 </dev/null & echo "shim $!"; } |',
  '    { while IFS= read -r l; do printf "%s %s\\n" "$tag" "$l"; done; printf "%s end\\n" "$tag"; } &',
  'done',
].join('\n');

// Unheld (see hold()): long enough that the starts of one dependency level share a spawner, short
// enough that an embedding process sees no lingering child soon after a command returns.
const IDLE_CLOSE_MS = 200;

interface Handle {
  ref?(): void;
  unref?(): void;
}

interface Waiter {
  shimPid?: number;
  report?: string;
  readonly resolve: (s: SpawnedShim) => void;
}

export class ShimSpawner {
  readonly #shim: () => string;
  #child: ChildProcess | undefined;
  #next = 0;
  #buf = '';
  readonly #waiting = new Map<string, Waiter>();
  #idle: NodeJS.Timeout | undefined;
  #holds = 0;

  /** shimPath is resolved at the first start: a held spawner that starts nothing needs no shim. */
  constructor(shimPath: () => string) {
    this.#shim = shimPath;
  }

  /** Starts the shim on plan; resolves once its report pipe closed (the report read, or none). */
  start(plan: string): Promise<SpawnedShim> {
    if (plan.includes('\n')) return Promise.reject(new Error('a plan path with a newline'));
    clearTimeout(this.#idle);
    const child = this.#spawner();
    const tag = String(this.#next++);
    return new Promise((resolve) => {
      this.#waiting.set(tag, { resolve });
      this.#hold();
      (child.stdin as Writable).write(`${tag}\n${plan}\n`);
    });
  }

  /**
   * Keeps the spawner for a whole command (until the function returned is called): a 10-service
   * `up` with three dependency levels forked it once per level, each a fork of the whole CLI
   * (issue 20). Released, an idle spawner is closed at once.
   */
  hold(): () => void {
    this.#holds++;
    clearTimeout(this.#idle);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.#holds--;
      if (this.#holds === 0 && this.#waiting.size === 0) this.#close(this.#child);
    };
  }

  #spawner(): ChildProcess {
    if (this.#child) return this.#child;
    // Its own session (as a detached shim had): a terminal's Ctrl-C reaches gantry, not the shims.
    // An empty environment, as a shim spawned directly had: the container gets only its plan's.
    const child = spawn('/bin/sh', ['-c', SCRIPT, 'gantry-shim-spawner', this.#shim()], {
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
      const [tag = '', word = '', ...rest] = line.split(' ');
      const w = this.#waiting.get(tag);
      if (w === undefined) continue;
      if (word === 'shim') w.shimPid = Number(rest[0]);
      else if (word === 'end') this.#finish(tag, w);
      else w.report ??= [word, ...rest].join(' ');
    }
    this.#hold();
  }

  /** While a start waits, the reply pipe keeps the event loop alive; idle, it does not. */
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
  // start forks a new one. Held (a locked engine command), it waits for the release instead.
  #closeWhenIdle(): void {
    clearTimeout(this.#idle);
    const child = this.#child;
    if (child === undefined || this.#holds > 0) return;
    this.#idle = setTimeout(() => {
      if (this.#waiting.size === 0 && this.#holds === 0) this.#close(child);
    }, IDLE_CLOSE_MS);
    this.#idle.unref();
  }

  #close(child: ChildProcess | undefined): void {
    clearTimeout(this.#idle);
    if (child === undefined || this.#child !== child) return;
    this.#child = undefined;
    (child.stdin as Writable).end();
  }

  #finish(tag: string, w: Waiter): void {
    this.#waiting.delete(tag);
    w.resolve({ shimPid: w.shimPid, report: w.report });
  }
}
