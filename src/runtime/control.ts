// kill, stop, wait and delete. Signals go to PID 1 directly (unshare-style parents forward
// nothing), after checking its start time; the cgroup makes sure nothing is left behind.
import { existsSync, promises as fs, watch, type FSWatcher } from 'node:fs';
import { constants } from 'node:os';
import { cgroupName, type RuntimeContext } from './context.ts';
import { deriveState, isAlive, processStart, type ContainerState } from './container.ts';
import { readState, validId, writeState, type StoredState } from './state.ts';
import { RuntimeError } from '../common/errors.ts';
import { containerError, NotFoundError } from './errors.ts';
import { recordEvent } from './record-event.ts';
import { thawContainer } from './pause.ts';
import { isStaging, pruneStaging, stagingName } from './staging.ts';
import { removeSmallInside } from '../common/remove-inside.ts';

const osSignals: Readonly<Record<string, number>> = constants.signals;

export function stateOf(ctx: RuntimeContext, id: string): ContainerState {
  const { stored, paths } = ctx.load(id);
  return deriveState(stored, paths);
}

/**
 * Signals a live container's process; its `kill` event goes into the journal first, because the
 * shim writes `die` the moment the program exits, which a SIGKILL makes sooner than our write.
 */
function signalContainer(
  ctx: RuntimeContext,
  id: string,
  stored: StoredState,
  signal: NodeJS.Signals | number,
): boolean {
  if (!isAlive(stored)) return false;
  recordEvent(ctx, id, 'kill', { signal: signalName(signal) }, stored.spec.labels ?? {});
  return ctx.host.kill(stored.pid!, signal);
}

export function killContainer(ctx: RuntimeContext, id: string, signal: NodeJS.Signals | number): void {
  const { stored } = ctx.load(id);
  if (!signalContainer(ctx, id, stored, signal)) throw new RuntimeError(`container ${id}: kill: not running`);
}

/** Docker's kill events name the signal by number. */
function signalName(signal: NodeJS.Signals | number): string {
  return String(typeof signal === 'number' ? signal : (osSignals[signal] ?? signal));
}

/**
 * Resolves with the exit state once the container has exited. The shim renames its status file
 * into place as the program exits: a watch on the container's directory wakes us then, so a short
 * program (a build's RUN) is not left waiting out a poll interval. Polling stays, as the fallback
 * for a watch that cannot be set up and for a shim killed before it wrote the file.
 */
export async function waitContainer(
  ctx: RuntimeContext,
  id: string,
  timeoutMs = Infinity,
  signal?: AbortSignal,
): Promise<ContainerState> {
  const until = Date.now() + timeoutMs;
  let wake: (() => void) | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(ctx.paths(id).dir, { persistent: false }, (_e, name) => {
      if (name === 'status') wake?.();
    });
    watcher.on('error', () => undefined); // the directory went away: polling decides
  } catch {
    watcher = undefined;
  }
  try {
    for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
      const s = stateOf(ctx, id);
      if (s.status === 'exited' || s.status === 'created' || Date.now() > until || signal?.aborted) return s;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, delay);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    watcher?.close();
  }
}

export interface StopOptions {
  readonly signal?: NodeJS.Signals | number;
  readonly timeoutMs?: number;
}

export async function stopContainer(ctx: RuntimeContext, id: string, o: StopOptions = {}): Promise<ContainerState> {
  await thawContainer(ctx, id);
  const { stored, paths } = ctx.load(id);
  let s = deriveState(stored, paths);
  if (s.status !== 'running') return s;
  const sig = o.signal ?? (stored.spec.stopSignal as NodeJS.Signals | undefined) ?? 'SIGTERM';
  signalContainer(ctx, id, stored, sig);
  s = await waitContainer(ctx, id, o.timeoutMs ?? 10_000);
  if (s.status === 'running') {
    await writeState(paths, { ...(readState(paths) ?? stored), killedByStop: true });
    // kills the whole pid namespace
    signalContainer(ctx, id, stored, 'SIGKILL');
    s = await waitContainer(ctx, id, 10_000);
  }
  await (await ctx.cgroup(id)).killAll(); // exec'd stragglers, if the shim died
  recordEvent(ctx, id, 'stop', {}, stored.spec.labels ?? {});
  return s;
}

/** run --rm containers whose command was killed: removed once they are not running. */
async function pruneAutoRemove(ctx: RuntimeContext): Promise<string[]> {
  const removed: string[] = [];
  for (const id of await fs.readdir(ctx.containersDir).catch(() => [] as string[])) {
    const stored = isStaging(id) || !validId(id) ? undefined : readState(ctx.paths(id));
    const [pid, start] = stored?.spec.autoRemove?.split(' ') ?? [];
    if (!stored || pid === undefined || processStart(Number(pid)) === start) continue;
    if (deriveState(stored, ctx.paths(id)).status === 'running') continue; // its shim removes it at exit
    await deleteContainer(ctx, id, { force: true }).then(
      () => removed.push(id),
      () => undefined,
    );
  }
  return removed;
}

export async function deleteContainer(
  ctx: RuntimeContext,
  id: string,
  o: { force?: boolean } = {},
): Promise<Readonly<Record<string, string>>> {
  const { stored, paths } = ctx.load(id);
  const s = deriveState(stored, paths);
  if (s.status === 'running' || s.status === 'paused') {
    if (!o.force) throw new RuntimeError(`container ${id}: delete: container is running (stop it first or use force)`);
    if (isAlive(stored)) ctx.host.kill(stored.pid!, 'SIGKILL');
    try {
      await thawContainer(ctx, id);
      await waitContainer(ctx, id, 10_000);
    } catch (err) {
      // Another deleter (a --rm container's shim, at the exit our kill caused) removed it while we waited: its
      // cgroup and files are on the main thread now (host.ts), so it can finish first. Gone all the same.
      if (err instanceof NotFoundError && !existsSync(paths.dir)) return stored.spec.labels ?? {};
      throw err;
    }
  }
  const cg = await ctx.cgroup(id);
  try {
    await cg.killAll();
    await cg.remove();
  } catch (err) {
    throw containerError(id, 'delete cgroup', (err as Error).message, err);
  }
  const doomed = ctx.paths(stagingName('deleting', id)).dir;
  try {
    await fs.rename(paths.dir, doomed); // gone from view at once; a kill mid-rm leaves only staging
  } catch (err) {
    // Another deleter renamed it first (a --rm container's shim running its removal while `rm -f` killed it, a
    // prune): gone from view all the same, and theirs to finish.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !existsSync(paths.dir)) return stored.spec.labels ?? {};
    throw err;
  }
  await removeSmallInside(ctx.containersDir, doomed);
  recordEvent(ctx, id, 'destroy', {}, stored.spec.labels ?? {});
  return stored.spec.labels ?? {};
}

/**
 * Garbage collection after a crash: staging dirs of dead processes (see staging.ts), and this
 * root's cgroups whose container state is gone (only empty ones, or ones whose processes it
 * can kill because they belong to no container).
 */
export async function pruneCgroups(ctx: RuntimeContext): Promise<string[]> {
  const driver = await ctx.driver();
  const suffix = cgroupName(ctx.containersDir, '');
  const removed = [...(await pruneStaging(ctx.containersDir)), ...(await pruneAutoRemove(ctx))];
  for (const name of await driver.listNames(suffix)) {
    const id = name.slice(0, -suffix.length);
    if (!validId(id) || existsSync(ctx.paths(id).state)) continue;
    const cg = driver.forContainer(name);
    await cg.killAll();
    await cg.remove();
    removed.push(name);
  }
  return removed;
}
