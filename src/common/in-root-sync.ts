// watch's sync into container roots through one long-lived `gantry-shim fs sync` (inroot-sync.h
// holds the guarantees: temp file renamed in place, links never followed out of the root). One
// process serves every batch in turn: starting a process per save costs ≈ 15 ms idle and 50 ms
// on a loaded 2-core VM (bench/watch.mjs), more than the whole save→visible target. While no
// batch is in flight the process is unref'd (it never keeps Node alive) and it ends when idle.
// node:child_process is taken on first use (getBuiltinModule): config and version must not load it.
import type { ChildProcess } from 'node:child_process';
import { shimBinary } from './shim-binary.ts';
import { RuntimeError } from './errors.ts';

/** One change: `from` (a host file or directory) copied to `to`, or `to` removed. */
export interface SyncRecord {
  readonly from?: string;
  readonly to: string;
}

interface Channel {
  readonly child: ChildProcess;
  readonly waiting: ((line: string) => void)[];
  idle?: NodeJS.Timeout;
}

let channel: Channel | undefined;
let tail: Promise<unknown> = Promise.resolve();
/** How long the process waits for another batch before its stdin is ended. */
export const IDLE_MS = 2_000;

function refs(c: Channel, on: boolean): void {
  for (const h of [c.child, c.child.stdin, c.child.stdout] as ({ ref(): void; unref(): void } | null)[]) {
    if (on) h?.ref();
    else h?.unref();
  }
}

function open(): Channel {
  const child = process
    .getBuiltinModule('node:child_process')
    .spawn(shimBinary(), ['fs', 'sync'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const c: Channel = { child, waiting: [] };
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      c.waiting.shift()?.(line);
    }
  });
  const fail = (why: string) => {
    if (channel === c) channel = undefined;
    for (const w of c.waiting.splice(0)) w(`err 1 gantry-shim fs sync: ${why}`);
  };
  child.on('error', (e) => fail(e.message));
  child.on('close', (code) => fail(`exited (${code})`));
  child.stdin!.on('error', () => undefined);
  return c;
}

async function send(input: string): Promise<string> {
  const c = (channel ??= open());
  if (c.idle) clearTimeout(c.idle);
  refs(c, true);
  const line = await new Promise<string>((resolve) => {
    c.waiting.push(resolve);
    c.child.stdin!.write(input);
  });
  if (channel === c && c.waiting.length === 0) {
    refs(c, false);
    c.idle = setTimeout(() => {
      // Forgotten first: a batch sent from now on goes to a new process, not to one whose stdin has
      // ended (it would exit before answering, and fail the batch).
      if (channel === c) channel = undefined;
      c.child.stdin!.end();
    }, IDLE_MS).unref();
  }
  return line;
}

/**
 * Applies the records inside `root` (a container's /proc/PID/root) as `owner` (root when absent):
 * each file written to a temp name and renamed over `to`, missing parents made as the owner, a
 * link at `to` replaced, never written through; a host file gone meanwhile removes `to`.
 */
export function syncIn(
  root: string,
  records: readonly SyncRecord[],
  owner?: { uid: number; gid: number },
): Promise<void> {
  const head = `r\0${root}\0${owner?.uid ?? -1}\0${owner?.gid ?? -1}\0`;
  const body = records.map((r) => (r.from === undefined ? `d\0${r.to}\0` : `w\0${r.from}\0${r.to}\0`)).join('');
  const run = tail.then(() => send(`${head}${body}e\0\0`));
  tail = run.catch(() => undefined);
  return run.then((line) => {
    if (line === 'ok') return;
    const m = /^err (\d+) (.*)$/.exec(line);
    throw new RuntimeError(m ? `${m[1]} of ${records.length} changes failed; last: ${m[2]}` : line);
  });
}
