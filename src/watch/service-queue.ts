// One service's pending work and the loop that does it, one action at a time: syncs first (every
// file changed since the last sync, in one engine call), then, once the changes that asked for
// them have settled for `settleMs` (a burst runs each once, after its last file), the execs of the
// sync+exec rules they touched, then a rebuild or a restart. An exec waits as a restart does: a
// burst's first files go alone when its writer stalls longer than a save's quiet (12 ms, often
// under load), and a command run then saw a tree half synced (test/e2e/watch-stream.test.ts). Changes that arrive while an action runs wait
// for the next round, except that a rebuild asked while the previous one is still building
// cancels that build (its image would be stale) and runs once the new changes settle; one asked
// during the replace is queued once. A failing action is reported and the service keeps what it
// ran before (rebuild.ts: the build comes first, a failed one leaves the old container untouched).
// A streamed burst (`stream()` … `end()`) syncs its chunks as they come, and is one sync event at
// its end; nothing else runs before it: every file is in before any command sees them.
import type { ProjectHandle } from '../engine/index.ts';
import type { WatchExec } from '../project/model.ts';
import type { WatchEvent } from './events.ts';
import { runWatchExec } from './exec-action.ts';
import { rebuildService } from './rebuild.ts';

export interface QueueDeps {
  readonly handle: ProjectHandle;
  readonly emit: (e: WatchEvent) => void;
  readonly settleMs: number;
  readonly afterRebuild?: (service: string) => Promise<void>;
}

export interface ServiceQueue {
  sync(target: string, from: string | undefined): void;
  exec(exec: WatchExec): void;
  restart(): void;
  rebuild(): void;
  /** A burst is streaming: its syncs are one action, reported (and followed by execs) at `end()`. */
  stream(): void;
  /** The streamed burst is over (its last syncs, if any, given before). */
  end(): void;
  /** Resolves when nothing is pending or running (tests, bench). */
  idle(): Promise<void>;
  /** Drops what is pending, cancels a build in flight; resolves once the action in flight (if any) is done. */
  close(): Promise<void>;
}

export function serviceQueue(service: string, d: QueueDeps): ServiceQueue {
  let syncs = new Map<string, string | undefined>();
  let execs = new Set<WatchExec>();
  let execFiles = 0; // files synced since the last exec ran
  let wantRestart = false;
  let wantRebuild = false;
  let lastAsk = 0;
  let running = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  /** The rebuild in flight: newer changes or close() abort it, which cancels its build (not its replace). */
  let building: AbortController | undefined;
  let waiters: (() => void)[] = [];
  let streaming = false;
  /** The sync action in progress: its files (targets), time spent, and whether a burst streamed it. */
  let sum: { files: Set<string>; ms: number; error?: string; streamed: boolean } | undefined;

  const timed = async (
    action: WatchEvent['action'],
    files: number,
    fn: () => Promise<string | undefined>,
  ): Promise<void> => {
    const t0 = performance.now();
    try {
      const output = await fn();
      d.emit({ service, action, files, ms: Math.round(performance.now() - t0), ...(output ? { output } : {}) });
    } catch (e) {
      d.emit({ service, action, files, ms: Math.round(performance.now() - t0), error: (e as Error).message });
    }
  };

  async function round(): Promise<void> {
    if (syncs.size > 0) {
      const batch = syncs;
      syncs = new Map();
      const s = (sum ??= { files: new Set(), ms: 0, streamed: false });
      s.streamed ||= streaming;
      const files = [...batch].map(([to, from]) => (from === undefined ? { to } : { from, to }));
      const t0 = performance.now();
      try {
        await d.handle.sync({ service, files });
      } catch (e) {
        s.error = (e as Error).message;
      }
      s.ms += performance.now() - t0;
      for (const to of batch.keys()) s.files.add(to);
      // A streamed burst's action ends with its last sync, once the burst is over.
      if (streaming || (s.streamed && syncs.size > 0)) return;
    }
    if (sum && !streaming) {
      const s = sum;
      sum = undefined;
      const ms = Math.round(s.ms);
      d.emit({ service, action: 'sync', files: s.files.size, ms, ...(s.error ? { error: s.error } : {}) });
      execFiles += s.files.size;
      if (s.error) execs = new Set(); // a command must not see a tree half synced
      return;
    }
    const settled = !streaming && Date.now() - lastAsk >= d.settleMs;
    if (execs.size > 0 && settled) {
      const todo = execs;
      const files = execFiles;
      execs = new Set();
      execFiles = 0;
      for (const x of todo) await timed('exec', files, () => runWatchExec(d.handle, service, x));
      return;
    }
    if (wantRebuild && settled) {
      wantRebuild = false;
      wantRestart = false; // a new container starts anyway
      const ac = (building = new AbortController());
      const t0 = performance.now();
      const r = await rebuildService(d.handle, service, ac.signal).finally(() => (building = undefined));
      d.emit({ service, action: 'rebuild', files: 0, ms: Math.round(performance.now() - t0), ...r });
      if (!r.error && !r.cancelled && d.afterRebuild) await d.afterRebuild(service).catch(() => undefined);
    } else if (wantRestart && settled) {
      wantRestart = false;
      await timed('restart', 0, () => d.handle.restart({ services: [service], noDeps: true }).then(() => undefined));
    }
  }

  /** A sync action is done but not reported yet (its burst is over). */
  const unreported = (): boolean => sum !== undefined && !streaming;
  const busy = (): boolean => syncs.size > 0 || unreported() || execs.size > 0 || wantRebuild || wantRestart;

  function kick(): void {
    if (running || closed) return;
    if (!busy()) {
      const w = waiters;
      waiters = [];
      for (const f of w) f();
      return;
    }
    if (syncs.size === 0 && streaming) return; // the rest waits for the burst's end (end() kicks)
    if (syncs.size === 0 && !unreported()) {
      const wait = d.settleMs - (Date.now() - lastAsk);
      if (wait > 0) {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = undefined;
          kick();
        }, wait);
        return;
      }
    }
    running = true;
    void round().finally(() => {
      running = false;
      kick();
    });
  }

  return {
    sync(target, from) {
      syncs.set(target, from);
      queueMicrotask(kick);
    },
    exec(x) {
      execs.add(x);
      lastAsk = Date.now();
      queueMicrotask(kick);
    },
    restart() {
      wantRestart = true;
      lastAsk = Date.now();
      queueMicrotask(kick);
    },
    rebuild() {
      wantRebuild = true;
      lastAsk = Date.now();
      building?.abort(new Error('newer changes'));
      queueMicrotask(kick);
    },
    stream() {
      streaming = true;
    },
    end() {
      if (!streaming) return;
      streaming = false;
      queueMicrotask(kick);
    },
    idle: () => (busy() || running ? new Promise<void>((r) => waiters.push(r)) : Promise.resolve()),
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      building?.abort(new Error('watch stopped'));
      syncs = new Map();
      execs = new Set();
      execFiles = 0;
      sum = undefined;
      streaming = false;
      wantRebuild = wantRestart = false;
      while (running) await new Promise((r) => setTimeout(r, 20));
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    },
  };
}
