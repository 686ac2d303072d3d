// Rewrites supervision.json from what the runtime holds for the project (every container's
// supervision label) and asks the supervisor to reload. Calls are chained, so concurrent start
// ops never interleave their writes; calls made while one is queued share it (it reads the
// runtime when it runs, so it covers them all). A `stoppedByUser` mark survives while its
// container stays stopped; whatever runs again (up, start, restart) has lost it.
// A start nobody waits on asks with ifChanged: a set equal to the one the live supervisor applied
// is not rewritten (its own poll sees the start within POLL_MS). Why: every rewrite made the
// supervisor re-read every container's state, once per start of an `up`, so that work grew with
// the square of the project (issue 20: 26 applies for a 60-service `up`).
// An up's closing sync settles: when the set this context last wrote was read after its last start,
// that set already holds every start, and only a change is written. Why: the closing sync wrote the
// same set again after the first start's, and waited for a second apply (generation 2 of a 1-service
// `up -d`: a SIGHUP, the supervisor's re-read of every container, 20–50 ms of the up's wall at load 9;
// bench/RESULTS.md, "up10").
import type { EngineContext } from '../context.ts';
import type { SupervisedNetwork } from '../../supervisor/contract.ts';
import { ENGINE_LABELS, supervisedOf } from '../labels.ts';
import { projectContainers } from '../ops/observe.ts';
import { holdsSameContent, readSupervisionSet, writeSupervisionSet } from './supervision-set.ts';
import { ensureSupervisor, supervisorHolds } from '../../supervisor/index.ts';

/** How a sync treats a set equal to the one applied: write it again, keep it if it holds every start, or keep it. */
export type SyncMode = 'always' | 'settle' | 'ifChanged';
const STRENGTH: Readonly<Record<SyncMode, number>> = { ifChanged: 0, settle: 1, always: 2 };

interface Queued {
  done: Promise<void>;
  mode: SyncMode;
}

const chains = new WeakMap<EngineContext, Promise<void>>();
const queued = new WeakMap<EngineContext, Queued>();
/** Starts this context finished (noteStarted), and how many had finished when the set it last wrote was read. */
const startsDone = new WeakMap<EngineContext, number>();
const readAfter = new WeakMap<EngineContext, number>();

/**
 * The generation this context saw the live supervisor hold (its marker and its pid checked once).
 * Why: each start of an `up` asked again (the marker, the pid file, /proc/PID/stat: 60 times at 60
 * services, bench/RESULTS.md "many11"). A supervisor that dies after it was seen is revived by the
 * closing sync, which asks the files again.
 */
const heldGeneration = new WeakMap<EngineContext, number>();

function holdsGeneration(ctx: EngineContext, generation: number): boolean {
  if (heldGeneration.get(ctx) === generation) return true;
  const holds = supervisorHolds(ctx.projectDir, generation);
  if (holds) heldGeneration.set(ctx, generation);
  return holds;
}

/** A start op of this context finished: a set read before it does not hold it. */
export function noteStarted(ctx: EngineContext): void {
  startsDone.set(ctx, (startsDone.get(ctx) ?? 0) + 1);
}

async function syncNow(ctx: EngineContext, mode: SyncMode): Promise<void> {
  const starts = startsDone.get(ctx) ?? 0;
  const always = mode === 'always' || (mode === 'settle' && readAfter.get(ctx) !== starts);
  const current = readSupervisionSet(ctx.projectDir);
  const marked = new Set((current?.containers ?? []).filter((c) => c.stoppedByUser).map((c) => c.id));
  const containers = (await projectContainers(ctx)).flatMap((s) => {
    const c = supervisedOf(s.labels);
    if (!c) return [];
    const keep = marked.has(c.id) && s.status !== 'running' && s.status !== 'paused';
    return [keep ? { ...c, stoppedByUser: true } : c];
  });
  const ids = new Set(containers.flatMap((c) => c.endpoints.map((e) => e.networkId)));
  // Every network of the set, or the supervisor closes its DNS; the network manager reads each once.
  const networks: SupervisedNetwork[] = (await Promise.all([...ids].map((id) => ctx.nets.inspect(id))))
    .filter((n) => n !== undefined)
    .map((n) => ({ networkId: n.id, dnsAddress: n.gateway, subnet: n.subnet, internal: n.internal }));
  if (
    !always &&
    current !== undefined &&
    holdsSameContent(current, networks, containers) &&
    supervisorHolds(ctx.projectDir, current.generation)
  )
    return;
  const written = writeSupervisionSet(ctx.projectDir, ctx.project.name, networks, containers);
  readAfter.set(ctx, starts);
  await ensureSupervisor(ctx.projectDir);
  heldGeneration.set(ctx, written.generation);
}

/**
 * Whether the set the live supervisor applied already holds container id as its label says (so
 * its start needs no sync: the supervisor's poll sees it run). Reads the set, not every container
 * of the project as a sync does. `labels` are the ones the start read: the label's text (one
 * JSON.stringify at create) is compared with the entry's, which a sync parsed from it and
 * wrote back unchanged. Reading the state and parsing the label again per start was 70 ms of a
 * 60-service `up -d` (issue 20, bench/RESULTS.md "slope2"); any other difference only costs a sync.
 */
export function supervisorHoldsContainer(
  ctx: EngineContext,
  id: string,
  labels: Readonly<Record<string, string>>,
): boolean {
  const set = readSupervisionSet(ctx.projectDir);
  const entry = set?.containers.find((c) => c.id === id);
  if (set === undefined || entry === undefined || entry.stoppedByUser || set.portsWhileRunning !== undefined)
    return false;
  return labels[ENGINE_LABELS.supervision] === JSON.stringify(entry) && holdsGeneration(ctx, set.generation);
}

/**
 * ifChanged: a start nobody waits on (see the header). settle: the closing sync of an up-like plan,
 * as `always` unless this context's last written set was read after its last start.
 */
export function syncSupervision(ctx: EngineContext, mode: SyncMode = 'always'): Promise<void> {
  const waiting = queued.get(ctx);
  if (waiting) {
    if (STRENGTH[mode] > STRENGTH[waiting.mode]) waiting.mode = mode;
    return waiting.done;
  }
  const q: Queued = { done: Promise.resolve(), mode };
  q.done = (chains.get(ctx) ?? Promise.resolve())
    .catch(() => undefined)
    .then(() => {
      queued.delete(ctx); // from here on, a new call must queue a fresh sync behind this one
      return syncNow(ctx, q.mode);
    });
  chains.set(ctx, q.done);
  queued.set(ctx, q);
  return q.done;
}
