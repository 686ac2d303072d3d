// Garbage collection of what killed gantry processes left behind: half-made networks and
// endpoints (intents whose pid is dead), endpoints whose namespace died (their veth went with
// it, so the address is released), bridges and namespaces of deleted state roots (sweep.ts),
// and firewall rules of gantry bridges that no longer exist.
import { existsSync } from 'node:fs';
import { type NetContext, hostLinks, pidAlive, bestEffort, deleteHostLinks } from './context.ts';
import { withLock } from './lock.ts';
import { listRecords, removeDeadTemps, writeRecord } from './store.ts';
import { teardown } from './networks.ts';
import { iptablesBridges } from './nat.ts';
import { removeRules } from './firewall.ts';
import { BRIDGE_PREFIX } from './names.ts';
import type { NetworkRecord } from './types.ts';
import { sweepDeadOwners, type SweepReport } from './sweep.ts';

export interface GcReport {
  readonly networks: readonly string[]; // ids of half-made networks removed
  readonly endpoints: readonly string[]; // "network: owner" of endpoints released
  readonly ruleSets: readonly string[]; // bridges whose orphaned rules were removed
  readonly swept: SweepReport; // what deleted state roots left on the host
}

export function gc(ctx: NetContext): Promise<GcReport> {
  return withLock(ctx.lockFile, async () => {
    const networks: string[] = [];
    const endpoints: string[] = [];
    for (const rec of await listRecords(ctx.root)) {
      if (rec.state !== 'ready' && !pidAlive(rec.pid)) {
        await teardown(ctx, rec);
        networks.push(rec.id);
      } else if (rec.state === 'ready') {
        endpoints.push(...(await releaseDeadEndpoints(ctx, rec)));
      }
    }
    await removeDeadTemps(ctx.root, pidAlive);
    const swept = await sweepDeadOwners(ctx); // before the rules pass, which then drops their rules
    return { networks, endpoints, swept, ruleSets: await orphanRules(ctx) };
  });
}

async function releaseDeadEndpoints(ctx: NetContext, rec: NetworkRecord): Promise<readonly string[]> {
  const links = await hostLinks(ctx);
  const dead = rec.endpoints.filter(
    (e) => !links.has(e.hostVeth) || !existsSync(e.netnsPath) || (e.state === 'attaching' && !pidAlive(e.pid)),
  );
  if (dead.length === 0) return [];
  await deleteHostLinks(
    ctx,
    `network ${rec.id}`,
    dead.filter((e) => links.has(e.hostVeth)).map((e) => e.hostVeth),
  );
  await writeRecord(ctx.root, { ...rec, endpoints: rec.endpoints.filter((e) => !dead.includes(e)) });
  return dead.map((e) => `${rec.id}: ${e.owner}`);
}

/**
 * Rules are safe to drop once their bridge is gone: rules are made after and removed before it.
 * Both backends are looked at, since a network may have been made with a forced backend.
 */
async function orphanRules(ctx: NetContext): Promise<readonly string[]> {
  const links = await hostLinks(ctx);
  const ipt = await ctx.host.iptablesSave().then(
    (t) => [...iptablesBridges(t)],
    () => [] as string[],
  );
  const nft = await ctx.host.nftTables().then(
    (ts) =>
      ts
        .map((t) => /^table ip gantry_(\S+)$/.exec(t)?.[1])
        .filter((s): s is string => s !== undefined)
        .map((s) => BRIDGE_PREFIX + s),
    () => [] as string[],
  );
  const orphans = [
    ...ipt.filter((b) => !links.has(b)).map((b) => ['iptables', b] as const),
    ...nft.filter((b) => !links.has(b)).map((b) => ['nft', b] as const),
  ];
  await bestEffort(
    ctx,
    'network gc',
    orphans.map(
      ([kind, b]) =>
        () =>
          removeRules(ctx.host, kind, b),
    ),
  );
  return orphans.map(([, b]) => b);
}
