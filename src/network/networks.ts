// Creating and removing networks: subnet choice, bridge, forwarding and firewall rules, each
// recorded as an intent before it is made so a killed gantry leaves nothing gc cannot find.
import { existsSync } from 'node:fs';
import { RuntimeError } from '../common/errors.ts';
import { type NetContext, hostLinks, mustRead, bestEffortTogether } from './context.ts';
import { alive as pidAlive, withLock } from './lock.ts';
import { listRecords, readRecord, writeRecord, deleteRecord } from './store.ts';
import { planSubnet, routedSubnets, type TakenSubnet, type SubnetPlan } from './ipam.ts';
import { fibTrieSubnets } from './fib-trie.ts';
import { parseCidr, formatCidr, formatIpv4, parseIpv4 } from './cidr.ts';
import { bridgeName } from './names.ts';
import { bridgeCreateLines, bridgePinLines } from './bridge.ts';
import { ownerAliasLine } from './owners.ts';
import { installRules } from './firewall.ts';
import { makeChildren } from './make-children.ts';
import { teardownChildren } from './teardown-children.ts';
import { RULES_VERSION } from './nat.ts';
import type { NetworkInfo, NetworkRecord, NetworkSpec } from './types.ts';
import { checkName } from '../common/names.ts';

export const infoOf = (r: NetworkRecord): NetworkInfo => ({
  id: r.id,
  bridge: r.bridge,
  subnet: r.subnet,
  gateway: r.gateway,
  internal: r.internal,
});

async function takenSubnets(ctx: NetContext, id: string): Promise<readonly TakenSubnet[]> {
  const routes = ctx.host.routeTrie
    ? fibTrieSubnets(await ctx.host.routeTrie())
    : routedSubnets(await ctx.host.ipJson(['route', 'show', 'table', 'all']));
  const others = (await listRecords(ctx.root))
    .filter((r) => r.id !== id)
    .map((r) => ({ cidr: parseCidr(r.subnet), what: `gantry network ${r.id}` }));
  return [...routes, ...others];
}

async function freeBridgeName(ctx: NetContext, id: string): Promise<string> {
  const links = await hostLinks(ctx);
  const used = new Set((await listRecords(ctx.root)).map((r) => r.bridge));
  for (let attempt = 0; attempt < 16; attempt++) {
    const name = bridgeName(ctx.root, id, attempt);
    if (!links.has(name) && !used.has(name)) return name;
  }
  throw new RuntimeError(`network ${id}: no free bridge name`);
}

function newRecord(
  spec: NetworkSpec,
  bridge: string,
  plan: SubnetPlan,
  firewall: NetworkRecord['firewall'],
): NetworkRecord {
  return {
    id: spec.id,
    bridge,
    subnet: formatCidr(plan.subnet),
    gateway: formatIpv4(plan.gateway),
    ...(plan.ipRange ? { ipRange: formatCidr(plan.ipRange) } : {}),
    internal: spec.internal,
    ...(spec.mtu !== undefined ? { mtu: spec.mtu } : {}),
    labels: spec.labels ?? {},
    firewall,
    rules: RULES_VERSION,
    pid: process.pid,
    state: 'creating',
    endpoints: [],
  };
}

/** Why an existing network does not match its spec (compose would have to recreate it), if so. */
export function specMismatch(rec: NetworkRecord, spec: NetworkSpec): string | undefined {
  const want = spec.ipam?.[0];
  if (rec.internal !== spec.internal) return `internal is ${rec.internal}, wanted ${spec.internal}`;
  if (want?.subnet !== undefined && want.subnet !== rec.subnet) return `subnet is ${rec.subnet}, wanted ${want.subnet}`;
  if (want?.gateway !== undefined && want.gateway !== rec.gateway)
    return `gateway is ${rec.gateway}, wanted ${want.gateway}`;
  if (want?.ipRange !== undefined && want.ipRange !== rec.ipRange)
    return `ip_range is ${rec.ipRange ?? 'unset'}, wanted ${want.ipRange}`;
  if (spec.mtu !== rec.mtu) return `mtu is ${rec.mtu ?? 'default'}, wanted ${spec.mtu ?? 'default'}`;
  return undefined;
}

export function ensureNetwork(ctx: NetContext, spec: NetworkSpec): Promise<NetworkInfo> {
  checkName('network', spec.id); // the API boundary: it names a record file
  return withLock(ctx.lockFile, async () => {
    const existing = await readRecord(ctx.root, spec.id);
    if (existing?.state === 'ready' && (await hostLinks(ctx)).has(existing.bridge)) {
      const why = specMismatch(existing, spec);
      if (why)
        throw new RuntimeError(`network ${spec.id} exists with a different configuration (${why}); remove it first`);
      if ((existing.rules ?? 1) < RULES_VERSION) await refreshRules(ctx, existing);
      const pin = bridgePinLines(existing.bridge, parseIpv4(existing.gateway));
      if (pin.length > 0) await ctx.host.ipBatch(pin);
      return infoOf(existing);
    }
    if (existing) await teardown(ctx, existing); // half-made, or its bridge vanished (reboot)
    if ((spec.ipam?.length ?? 0) > 1) ctx.warn(`network ${spec.id}: only the first ipam config is used (IPv4 only)`);
    const plan = planSubnet(spec.id, spec.ipam?.[0], ctx.pools, await takenSubnets(ctx, spec.id));
    const firewall = ctx.firewall ?? (await ctx.host.detectFirewall());
    if (firewall === 'none' && !spec.internal)
      ctx.warn(`network ${spec.id}: neither iptables nor nft found; containers get no egress`);
    const rec = newRecord(spec, await freeBridgeName(ctx, spec.id), plan, firewall);
    await writeRecord(ctx.root, rec);
    const made = await makeChildren(ctx, rec, [
      ...bridgeCreateLines(rec.bridge, plan, spec.mtu),
      ...ownerAliasLine(rec.bridge, ctx.root),
    ]);
    const failed = made.find((r) => r.status === 'rejected');
    if (failed) {
      await teardown(ctx, rec);
      throw failed.reason;
    }
    const ready: NetworkRecord = { ...rec, state: 'ready' };
    await writeRecord(ctx.root, ready);
    return infoOf(ready);
  });
}

/** Replaces an older gantry's rules (made before networks were isolated) by today's. */
async function refreshRules(ctx: NetContext, rec: NetworkRecord): Promise<void> {
  await installRules(ctx.host, rec.firewall, rec);
  await writeRecord(ctx.root, { ...rec, rules: RULES_VERSION });
}

/** Endpoints still in use. A namespace that is gone took its veth along (the kernel is just slow). */
const liveEndpoints = (rec: NetworkRecord, links: ReadonlySet<string>) =>
  rec.endpoints.filter((e) => links.has(e.hostVeth) && existsSync(e.netnsPath));

/**
 * Live endpoints that keep the network in use: not those whose owner is gone and whose maker's
 * process too (a process still running may be between its attach and its container's create).
 */
const inUse = (ctx: NetContext, rec: NetworkRecord, links: ReadonlySet<string>) =>
  liveEndpoints(rec, links).filter((e) => !(ctx.ownerGone?.(e.owner) === true && !pidAlive(e.pid)));

/**
 * Removes the network's rules, bridge and record; the caller holds the lock. `netns`: namespaces
 * (names under /run/netns) deleted in the links' batch (those of the last endpoints, see detach);
 * `underway`: called once the children doing it have started.
 */
export async function teardown(
  ctx: NetContext,
  rec: NetworkRecord,
  known?: ReadonlySet<string>,
  netns: readonly string[] = [],
  underway?: () => void,
): Promise<void> {
  await writeRecord(ctx.root, { ...rec, state: 'removing', pid: process.pid });
  const links = known ?? (await hostLinks(ctx));
  // Rules name the bridge by its name only, so they and the links can go at the same time
  // (iptables-restore and the bridge's RCU wait each take ≈ 30–40 ms here), by one child where the
  // host can (teardown-children.ts). The live veths and the bridge in one group delete.
  const doomed = [...liveEndpoints(rec, links).map((e) => e.hostVeth), ...(links.has(rec.bridge) ? [rec.bridge] : [])];
  const [rulesGone, linksGone] = teardownChildren(ctx, rec, doomed, netns);
  underway?.();
  await bestEffortTogether(ctx, `network ${rec.id}`, [() => rulesGone, () => linksGone]);
  await deleteRecord(ctx.root, rec.id);
}

export async function removeNetwork(ctx: NetContext, id: string): Promise<void> {
  // Gone with its last endpoints (expectRemoval): no lock turn to find that out. The host-wide lock
  // is every gantry's on the host, so under a busy host each turn is a wait behind the others.
  if (ctx.leftEarly.has(id) && (await readRecord(ctx.root, id)) === undefined) {
    ctx.leftEarly.delete(id);
    return;
  }
  return withLock(ctx.lockFile, async () => {
    if (ctx.leftEarly.delete(id) && (await readRecord(ctx.root, id)) === undefined) return; // see expectRemoval
    ctx.leaving.delete(id);
    const rec = await mustRead(ctx, id);
    const links = await hostLinks(ctx);
    const live = inUse(ctx, rec, links);
    if (live.length > 0) {
      const who = live.map((e) => e.owner).join(', ');
      throw new RuntimeError(`network ${id} is still in use by ${who}; stop or disconnect them first`);
    }
    await teardown(ctx, rec, links); // links listed a moment ago, under the same lock
  });
}

/** Removes every network no live endpoint uses; returns their ids. */
export function pruneNetworks(ctx: NetContext): Promise<readonly string[]> {
  return withLock(ctx.lockFile, async () => {
    const links = await hostLinks(ctx);
    const unused = (await listRecords(ctx.root)).filter(
      (r) => r.state === 'ready' && inUse(ctx, r, links).length === 0,
    );
    for (const rec of unused) await teardown(ctx, rec, links);
    return unused.map((r) => r.id);
  });
}
