// Detaching a namespace from a network: its veths deleted (with the namespace, when asked, in the
// same `ip` run), or, for a network's last endpoints during down, the whole network with them.
import { type NetContext, hostLinks, mustRead, deleteHostLinks } from './context.ts';
import { withLock } from './lock.ts';
import { writeRecord } from './store.ts';
import { teardown } from './networks.ts';
import type { EndpointRecord } from './types.ts';
import { withEndpoints } from './endpoint-plan.ts';

interface DetachRequest {
  readonly netnsPath: string;
  readonly ifname: string | undefined;
  /** The namespace (a name under /run/netns) goes in the same `ip` run as the veths. */
  readonly alsoNetns?: string;
}

/** Detaches waiting for the lock, per network: one lock turn, link listing and record write serves them all. */
const waiting = new WeakMap<NetContext, Map<string, DetachRequest[]>>();
const batchDone = new WeakMap<readonly DetachRequest[], Promise<void>>();
/** Batches whose kernel work is not under way yet (see detachesUnderway). */
const notYetUnderway = new WeakMap<NetContext, Set<Promise<void>>>();

/**
 * Resolves once every detach asked for so far is under way: its child (the netlink executor, or
 * `ip`) started, or it settled, or it waits for the lock another process holds. The kernel's part
 * of a delete is then running, and whatever the caller does meanwhile no longer delays its start
 * (down: the containers' files, see engine/ops/container.ts).
 */
export async function detachesUnderway(ctx: NetContext): Promise<void> {
  await Promise.all([...(notYetUnderway.get(ctx) ?? [])]);
}

/** A promise resolved by the returned function, listed until then as not under way. */
function trackUnderway(ctx: NetContext): () => void {
  const pending = notYetUnderway.get(ctx) ?? new Set<Promise<void>>();
  notYetUnderway.set(ctx, pending);
  let mark!: () => void;
  const underway = new Promise<void>((resolve) => (mark = resolve));
  pending.add(underway);
  return () => {
    pending.delete(underway);
    mark();
  };
}

/**
 * Removes the endpoint (every one of netnsPath on the network when ifname is omitted). alsoNetns:
 * the named namespace is deleted in the veths' batch (one `ip` run, not two: issue 20); should that
 * batch fail, the namespace is left to the caller's deleteNetns.
 */
export function detach(
  ctx: NetContext,
  netnsPath: string,
  networkId: string,
  ifname?: string,
  alsoNetns?: string,
): Promise<void> {
  const queues = waiting.get(ctx) ?? new Map<string, DetachRequest[]>();
  waiting.set(ctx, queues);
  const req = { netnsPath, ifname, ...(alsoNetns !== undefined ? { alsoNetns } : {}) };
  const queued = queues.get(networkId);
  if (queued) {
    queued.push(req);
    return batchDone.get(queued)!;
  }
  const batch = [req];
  queues.set(networkId, batch);
  const underway = trackUnderway(ctx);
  const done = withLock(
    ctx.lockFile,
    () => {
      queues.delete(networkId); // later requests form the next batch, behind this one
      return detachBatch(ctx, networkId, batch, underway);
    },
    undefined,
    underway,
  );
  void done.then(underway, underway);
  batchDone.set(batch, done);
  return done;
}

/** The caller holds the lock. `underway`: called once the batch's child has started. */
async function detachBatch(
  ctx: NetContext,
  networkId: string,
  reqs: readonly DetachRequest[],
  underway: () => void,
): Promise<void> {
  const rec = await mustRead(ctx, networkId);
  const mine = (e: EndpointRecord): boolean =>
    reqs.some((r) => e.netnsPath === r.netnsPath && (r.ifname === undefined || e.ifname === r.ifname));
  const links = await hostLinks(ctx);
  const leaving = reqs.flatMap((r) => (r.alsoNetns !== undefined ? [r.alsoNetns] : []));
  if (ctx.leaving.has(networkId) && rec.endpoints.every(mine)) {
    // The last endpoints go with the bridge (and their namespaces), in one batch.
    await teardown(ctx, rec, links, leaving, underway);
    ctx.leaving.delete(networkId);
    ctx.leftEarly.add(networkId);
    return;
  }
  // Deleting the host end deletes both ends; a namespace that already died took its veth along.
  const gone = deleteHostLinks(
    ctx,
    `network ${networkId}`,
    rec.endpoints.filter((e) => mine(e) && links.has(e.hostVeth)).map((e) => e.hostVeth),
    leaving,
  );
  underway(); // deleteHostLinks starts its child before its first await
  await gone;
  await writeRecord(
    ctx.root,
    withEndpoints(
      rec,
      rec.endpoints.filter((e) => !mine(e)),
    ),
  );
}
