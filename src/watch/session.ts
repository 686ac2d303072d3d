// A watch session (the Node API and the CLI's loop): compile the services' develop.watch rules,
// copy initial_sync rules' files in, then route every batch of changed paths to each service's
// queue by its rules' actions. stop() closes the watcher and waits for the action in flight.
import { UsageError } from '../common/errors.ts';
import type { ProjectHandle } from '../engine/index.ts';
import type { WatchExec } from '../project/model.ts';
import type { WatchEvent } from './events.ts';
import { ruleFiles } from './initial-sync.ts';
import { compileRules, rulesFor, type CompiledRule } from './rules.ts';
import { serviceQueue, type ServiceQueue } from './service-queue.ts';
import { ephemeral } from './ephemeral.ts';
import { startWatcher, type Batch } from './watcher.ts';

/** What `startWatch` watches and where its events go. */
export interface WatchOptions {
  /** Services whose rules are watched; none = every service with develop.watch. */
  readonly services?: readonly string[];
  /** An event per action done or failed. */
  readonly onEvent?: (e: WatchEvent) => void;
  /** After a rebuild, the images no container or tag uses any more are removed. */
  readonly afterRebuild?: (service: string) => Promise<void>;
  readonly quietMs?: number;
  /** How long an exec, restart or rebuild waits for its burst to end (default 300 ms). */
  readonly settleMs?: number;
}

/** A running watch. */
export interface WatchSession extends AsyncDisposable {
  /** Resolves when nothing is pending or running in any service. */
  idle(): Promise<void>;
  /** Stops watching. */
  stop(): Promise<void>;
}

/** What a streamed burst's paths asked besides their sync: done at the burst's end, once. */
interface Owed {
  readonly execs: Set<WatchExec>;
  restart: boolean;
  rebuild: boolean;
}

/**
 * The batch's paths to their services' queues. `owed` (a chunk of a burst still going on): its
 * syncs start now, the rest of what it asks waits in `owed` for the burst's end (`settle`).
 */
function route(
  rules: readonly CompiledRule[],
  queues: ReadonlyMap<string, ServiceQueue>,
  batch: Batch,
  owed?: Map<ServiceQueue, Owed>,
): void {
  for (const [path, change] of batch) {
    for (const r of rulesFor(rules, path)) {
      const q = queues.get(r.service)!;
      const { action, exec } = r.rule;
      if (action.startsWith('sync')) {
        if (owed) q.stream();
        q.sync(r.targetOf(path), change === 'write' ? path : undefined);
      }
      if (owed) {
        const o = owed.get(q) ?? { execs: new Set<WatchExec>(), restart: false, rebuild: false };
        owed.set(q, o);
        if (action === 'sync+exec' && exec) o.execs.add(exec);
        o.restart ||= action === 'restart' || action === 'sync+restart';
        o.rebuild ||= action === 'rebuild';
        continue;
      }
      if (action === 'sync+exec' && exec) q.exec(exec);
      if (action === 'restart' || action === 'sync+restart') q.restart();
      if (action === 'rebuild') q.rebuild();
    }
  }
}

/** A burst's end: what its streamed chunks asked, then each queue's streamed sync is one action. */
function settle(queues: ReadonlyMap<string, ServiceQueue>, owed: Map<ServiceQueue, Owed>): void {
  for (const [q, o] of owed) {
    for (const x of o.execs) q.exec(x);
    if (o.restart) q.restart();
    if (o.rebuild) q.rebuild();
  }
  owed.clear();
  for (const q of queues.values()) q.end();
}

async function initialSync(
  handle: ProjectHandle,
  rules: readonly CompiledRule[],
  emit: (e: WatchEvent) => void,
): Promise<void> {
  for (const r of rules.filter((x) => x.rule.initial_sync && x.rule.action.startsWith('sync'))) {
    const t0 = performance.now();
    const paths = await ruleFiles(r);
    try {
      await handle.sync({ service: r.service, files: paths.map((p) => ({ from: p, to: r.targetOf(p) })) });
      emit({ service: r.service, action: 'initial_sync', files: paths.length, ms: Math.round(performance.now() - t0) });
    } catch (e) {
      emit({
        service: r.service,
        action: 'initial_sync',
        files: paths.length,
        ms: Math.round(performance.now() - t0),
        error: (e as Error).message,
      });
    }
  }
}

/** `gantry watch` over a project handle: syncs, rebuilds and restarts on file changes. */
export async function startWatch(handle: ProjectHandle, o: WatchOptions = {}): Promise<WatchSession> {
  for (const s of o.services ?? []) if (!(s in handle.project.services)) throw new UsageError(`no such service: ${s}`);
  const rules = await compileRules(handle.project, o.services ?? []);
  if (rules.length === 0) {
    throw new UsageError("none of the selected services is configured for watch: add a 'develop.watch' section");
  }
  const emit = o.onEvent ?? (() => undefined);
  await initialSync(handle, rules, emit);
  const queues = new Map<string, ServiceQueue>();
  for (const s of new Set(rules.map((r) => r.service))) {
    queues.set(
      s,
      serviceQueue(s, {
        handle,
        emit,
        settleMs: o.settleMs ?? 300,
        ...(o.afterRebuild ? { afterRebuild: o.afterRebuild } : {}),
      }),
    );
  }
  const owed = new Map<ServiceQueue, Owed>();
  const watcher = await startWatcher({
    paths: [...new Set(rules.map((r) => r.rule.path))],
    ignored: ephemeral,
    onBatch: (batch) => {
      route(rules, queues, batch);
      settle(queues, owed);
    },
    onStream: (chunk) => route(rules, queues, chunk, owed),
    onError: (e) => emit({ service: '-', action: 'sync', files: 0, ms: 0, error: `watcher: ${e.message}` }),
    ...(o.quietMs !== undefined ? { quietMs: o.quietMs } : {}),
  });
  await watcher.ready;
  const idle = async (): Promise<void> => void (await Promise.all([...queues.values()].map((q) => q.idle())));
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await watcher.close();
      await Promise.all([...queues.values()].map((q) => q.close()));
    })());
  return { idle, stop, [Symbol.asyncDispose]: stop };
}
