// What every network operation needs: the state dir, the host door, the pools and the lock.
import { RuntimeError } from '../common/errors.ts';
import type { NetHost } from './host.ts';
import type { AddressPool } from './pools.ts';
import { linkNames } from './bridge.ts';
import { readRecord } from './store.ts';
import { scratchGroup, vethHostDeleteLines, vethsHostDeleteLines } from './veth.ts';
export { alive as pidAlive } from './lock.ts';
import type { FirewallKind, NetworkRecord } from './types.ts';

export interface NetContext {
  readonly root: string;
  readonly host: NetHost;
  readonly pools: readonly AddressPool[];
  readonly lockFile: string;
  readonly warn: (message: string) => void;
  readonly firewall?: FirewallKind; // forced backend; detected from the host when absent
  /** The owner of an endpoint is gone (NetworkManagerOptions.ownerGone). */
  readonly ownerGone?: (owner: string) => boolean;
  /** Networks this process removes once their last endpoint leaves (down), see expectRemoval. */
  readonly leaving: Set<string>;
  /** Of those, the ones already torn down with their last endpoints' veths. */
  readonly leftEarly: Set<string>;
}

export async function hostLinks(ctx: NetContext): Promise<ReadonlySet<string>> {
  return ctx.host.linkNames ? ctx.host.linkNames() : linkNames(await ctx.host.ipJson(['link', 'show']));
}

export async function mustRead(ctx: NetContext, id: string): Promise<NetworkRecord> {
  const rec = await readRecord(ctx.root, id);
  if (rec === undefined || rec.state !== 'ready') throw new RuntimeError(`network ${id} not found`);
  return rec;
}

/** As bestEffort, for steps that do not depend on each other: all at once. */
export async function bestEffortTogether(
  ctx: NetContext,
  what: string,
  steps: readonly (() => Promise<unknown>)[],
): Promise<void> {
  const results = await Promise.allSettled(steps.map((step) => step()));
  for (const r of results) if (r.status === 'rejected') ctx.warn(`${what}: ${(r.reason as Error).message}`);
}

/** Runs every cleanup step even when one fails, then reports the failures as warnings. */
export async function bestEffort(
  ctx: NetContext,
  what: string,
  steps: readonly (() => Promise<unknown>)[],
): Promise<void> {
  for (const step of steps) {
    try {
      await step();
    } catch (e) {
      ctx.warn(`${what}: ${(e as Error).message}`);
    }
  }
}

/** The `ip -batch` lines that delete host links and the namespaces `netns` (names under /run/netns). */
export function hostLinksDeleteLines(names: readonly string[], netns: readonly string[] = []): readonly string[] {
  // The namespaces before the links' delete: theirs is an unmount, while the links' answer comes only
  // after the kernel's RCU wait, which ipDeleteBatch does not wait out (a namespace after it would be).
  return vethsHostDeleteLines(
    names,
    scratchGroup(),
    netns.map((n) => `netns del ${n}`),
  );
}

/**
 * Deletes host links (veth host ends, bridges: both go by `link del`) in one kernel batch, whose
 * unregistering shares the kernel's waits (see vethsHostDeleteLines), with the namespaces `netns`
 * (names under /run/netns) in the same run. One bad line stops a batch: then each link still there
 * is deleted alone, each failure its own warning, and the namespaces left are the caller's.
 * `started`: that batch (hostLinksDeleteLines) is already running, see teardown-children.ts.
 */
export async function deleteHostLinks(
  ctx: NetContext,
  what: string,
  names: readonly string[],
  netns: readonly string[] = [],
  started?: Promise<void>,
): Promise<void> {
  if (names.length === 0) return;
  try {
    if (started) await started;
    else {
      const lines = hostLinksDeleteLines(names, netns);
      if (ctx.host.ipDeleteBatch) await ctx.host.ipDeleteBatch(lines, { links: names, netns });
      else await ctx.host.ipBatch(lines);
    }
  } catch {
    const left = await hostLinks(ctx);
    await bestEffort(
      ctx,
      what,
      names.filter((n) => left.has(n)).map((n) => () => ctx.host.ipBatch(vethHostDeleteLines(n))),
    );
  }
}
