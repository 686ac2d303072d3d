// Attaching a namespace to a network (one veth per network: eth0, eth1…). The endpoint is
// recorded as an intent before the veth exists, so gc can undo a half-made one.
import { type NetContext, hostLinks, mustRead, deleteHostLinks } from './context.ts';
import { withLock } from './lock.ts';
import { writeRecord } from './store.ts';
import type { AttachOptions, AttachResult } from './types.ts';
import { netnsNameOf } from './netns.ts';
import { recordNetnsOwner } from './owners.ts';
import { type AttachRequest, planAll, withEndpoints } from './endpoint-plan.ts';
import { bothEnds } from './endpoint-links.ts';

/**
 * Attaches waiting for the lock, per network, share one lock turn (as detaches do): one record
 * write per state, one `ip -batch` for every host end, and the in-namespace batches in parallel.
 * `up` creating eight containers at once otherwise queued eight lock turns of two `ip` runs each.
 */
const attachWaiting = new WeakMap<NetContext, Map<string, AttachRequest[]>>();

export function attach(
  ctx: NetContext,
  netnsPath: string,
  networkId: string,
  opts: AttachOptions,
): Promise<AttachResult> {
  const queues = attachWaiting.get(ctx) ?? new Map<string, AttachRequest[]>();
  attachWaiting.set(ctx, queues);
  return new Promise<AttachResult>((resolve, reject) => {
    const req = { netnsPath, opts, resolve, reject };
    const queued = queues.get(networkId);
    if (queued) return void queued.push(req);
    const batch = [req];
    queues.set(networkId, batch);
    withLock(ctx.lockFile, () => {
      queues.delete(networkId); // later requests form the next batch, behind this one
      return attachBatch(ctx, networkId, batch);
    }).catch((e: unknown) => {
      for (const r of batch) r.reject(e); // a request already settled ignores this
    });
  });
}

/** The caller holds the lock. */
async function attachBatch(ctx: NetContext, networkId: string, reqs: readonly AttachRequest[]): Promise<void> {
  const rec = await mustRead(ctx, networkId);
  const planned = planAll(rec, reqs);
  if (planned.length === 0) return;
  await writeRecord(ctx.root, withEndpoints(rec, [...rec.endpoints, ...planned.map((p) => p.ep)]));
  for (const p of planned) {
    const name = netnsNameOf(p.req.netnsPath);
    if (p.req.opts.newNetns !== undefined && name !== undefined) recordNetnsOwner(name, p.req.opts.newNetns.owner);
  }
  await bothEnds(ctx, planned);
  const failed = planned.filter((p) => p.error !== undefined);
  if (failed.length > 0) {
    const links = await hostLinks(ctx);
    await deleteHostLinks(
      ctx,
      `network ${networkId}`,
      failed.filter((p) => links.has(p.ep.hostVeth)).map((p) => p.ep.hostVeth),
    );
  }
  const ok = planned.filter((p) => p.error === undefined);
  await writeRecord(
    ctx.root,
    withEndpoints(rec, [...rec.endpoints, ...ok.map((p) => ({ ...p.ep, state: 'ready' as const }))]),
  );
  for (const p of failed) p.req.reject(p.error);
  for (const p of ok) p.req.resolve({ address: p.ep.address, ifname: p.ep.ifname, hostVeth: p.ep.hostVeth });
}
