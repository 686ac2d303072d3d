// Host-wide sweep of what deleted state roots left (their records went with them, so their own
// gc can never run): bridges whose alias names a dead owner, with their veths (gc's orphan-rule
// pass then drops their firewall rules), and namespaces recorded for a dead owner that no process uses. Objects without an
// owner record (made by older gantry versions) are never touched: ownership must be provable.
import { existsSync } from 'node:fs';
import { type NetContext, bestEffort } from './context.ts';
import { BRIDGE_PREFIX } from './names.ts';
import { deadOwners, forgetNetnsOwner, netnsInUse, netnsOwners, OWNER_PREFIX } from './owners.ts';
import { deleteNetns } from './netns.ts';

interface Link {
  readonly ifname: string;
  readonly master?: string;
  readonly ifalias?: string;
}

export interface SweepReport {
  readonly bridges: readonly string[];
  readonly netns: readonly string[];
}

/** The caller holds the network lock (no bridge is being made or removed meanwhile). */
export async function sweepDeadOwners(ctx: NetContext): Promise<SweepReport> {
  const links = (await ctx.host.ipJson(['link', 'show'])) as readonly Link[];
  const owned = links
    .filter((l) => l.ifname.startsWith(BRIDGE_PREFIX) && l.ifalias?.startsWith(OWNER_PREFIX))
    .map((l) => ({ bridge: l.ifname, owner: l.ifalias!.slice(OWNER_PREFIX.length) }));
  const spaces = netnsOwners();
  const dead = deadOwners([...owned.map((o) => o.owner), ...spaces.values()], ctx.root);
  const bridges = owned.filter((o) => dead.has(o.owner)).map((o) => o.bridge);
  const netns = [...spaces].filter(([name, owner]) => dead.has(owner) && !netnsInUse(name)).map(([name]) => name);
  await bestEffort(ctx, 'sweep', [
    ...netns.map((n) => async () => {
      await deleteNetns(n, ctx.host);
      forgetNetnsOwner(n);
    }),
    ...bridges.flatMap((b) => [
      ...links.filter((l) => l.master === b).map((l) => () => deleteLink(ctx, l.ifname)),
      () => deleteLink(ctx, b),
    ]),
  ]);
  return { bridges, netns };
}

/**
 * A veth whose peer was in a namespace deleted above goes with it, as soon as the kernel's namespace clean-up
 * runs: a link found gone after a failed delete is deleted, not a warning (`network prune` printed "Cannot find
 * device" for such veths).
 */
async function deleteLink(ctx: NetContext, ifname: string): Promise<void> {
  await ctx.host.ipBatch([`link del ${ifname}`]).catch((e: unknown) => {
    if (existsSync(`/sys/class/net/${ifname}`)) throw e;
  });
}
