// Attaching a namespace to a network (one veth per network: eth0, eth1…) and detaching it. The
// endpoint is recorded as an intent before the veth exists, so gc can undo a half-made one.
import { ConfigError, RuntimeError } from '../common/errors.ts';
import { type NetContext, hostLinks, mustRead, bestEffort } from './context.ts';
import { withLock } from './lock.ts';
import { writeRecord } from './store.ts';
import { allocateAddress } from './ipam.ts';
import { parseCidr, parseIpv4, formatIpv4 } from './cidr.ts';
import { vethName } from './names.ts';
import { type VethPlan, checkVethInputs, vethHostLines, vethInsideLines, vethHostDeleteLines } from './veth.ts';
import type { AttachOptions, AttachResult, EndpointRecord, NetworkRecord } from './types.ts';

const planOf = (rec: NetworkRecord) => ({
  subnet: parseCidr(rec.subnet),
  gateway: parseIpv4(rec.gateway),
  ...(rec.ipRange ? { ipRange: parseCidr(rec.ipRange) } : {}),
});

const withEndpoints = (rec: NetworkRecord, endpoints: readonly EndpointRecord[]): NetworkRecord => ({ ...rec, endpoints });

/** Checks the request and picks the address; the caller holds the lock. */
function planVeth(rec: NetworkRecord, netnsPath: string, opts: AttachOptions): VethPlan {
  const bad = checkVethInputs({ ...opts, netnsPath });
  if (bad) throw new ConfigError(`network ${rec.id}: ${bad}`);
  if (rec.endpoints.some((e) => e.netnsPath === netnsPath && e.ifname === opts.ifname)) {
    throw new RuntimeError(`network ${rec.id}: ${netnsPath} already has ${opts.ifname} on this network`);
  }
  const plan = planOf(rec);
  const used = new Set(rec.endpoints.map((e) => parseIpv4(e.address)));
  return {
    hostVeth: vethName(),
    bridge: rec.bridge,
    netnsPath,
    ifname: opts.ifname,
    address: allocateAddress(rec.id, plan, used, opts.ipv4Address),
    prefix: plan.subnet.prefix,
    gateway: plan.gateway,
    defaultRoute: opts.defaultRoute && !rec.internal, // internal: no route out, by construction
    ...(rec.mtu !== undefined ? { mtu: rec.mtu } : {}),
    ...(opts.macAddress !== undefined ? { macAddress: opts.macAddress } : {}),
  };
}

export function attach(ctx: NetContext, netnsPath: string, networkId: string, opts: AttachOptions): Promise<AttachResult> {
  return withLock(ctx.lockFile, async () => {
    const rec = await mustRead(ctx, networkId);
    const veth = planVeth(rec, netnsPath, opts);
    const ep: EndpointRecord = {
      netnsPath,
      ifname: opts.ifname,
      address: formatIpv4(veth.address),
      hostVeth: veth.hostVeth,
      owner: opts.owner ?? netnsPath,
      pid: process.pid,
      state: 'attaching',
    };
    await writeRecord(ctx.root, withEndpoints(rec, [...rec.endpoints, ep]));
    try {
      await ctx.host.ipBatch(vethHostLines(veth));
      await ctx.host.ipBatch(vethInsideLines(veth), netnsPath);
    } catch (e) {
      const undo = async (): Promise<unknown> =>
        (await hostLinks(ctx)).has(ep.hostVeth) ? ctx.host.ipBatch(vethHostDeleteLines(ep.hostVeth)) : undefined;
      await bestEffort(ctx, `network ${networkId}`, [undo]);
      await writeRecord(ctx.root, rec);
      throw e;
    }
    await writeRecord(ctx.root, withEndpoints(rec, [...rec.endpoints, { ...ep, state: 'ready' }]));
    return { address: ep.address, ifname: ep.ifname, hostVeth: ep.hostVeth };
  });
}

interface DetachRequest {
  readonly netnsPath: string;
  readonly ifname: string | undefined;
}

/** Detaches waiting for the lock, per network: one lock turn, link listing and record write serves them all. */
const waiting = new WeakMap<NetContext, Map<string, DetachRequest[]>>();
const batchDone = new WeakMap<readonly DetachRequest[], Promise<void>>();

/** Removes the endpoint (every one of netnsPath on the network when ifname is omitted). */
export function detach(ctx: NetContext, netnsPath: string, networkId: string, ifname?: string): Promise<void> {
  const queues = waiting.get(ctx) ?? new Map<string, DetachRequest[]>();
  waiting.set(ctx, queues);
  const req = { netnsPath, ifname };
  const queued = queues.get(networkId);
  if (queued) {
    queued.push(req);
    return batchDone.get(queued)!;
  }
  const batch = [req];
  queues.set(networkId, batch);
  const done = withLock(ctx.lockFile, () => {
    queues.delete(networkId); // later requests form the next batch, behind this one
    return detachBatch(ctx, networkId, batch);
  });
  batchDone.set(batch, done);
  return done;
}
/** The caller holds the lock. */
async function detachBatch(ctx: NetContext, networkId: string, reqs: readonly DetachRequest[]): Promise<void> {
  const rec = await mustRead(ctx, networkId);
  const mine = (e: EndpointRecord): boolean => reqs.some((r) => e.netnsPath === r.netnsPath && (r.ifname === undefined || e.ifname === r.ifname));
  const links = await hostLinks(ctx);
  // Deleting the host end deletes both ends; a namespace that already died took its veth along.
  const present = rec.endpoints.filter((e) => mine(e) && links.has(e.hostVeth));
  try {
    if (present.length > 0) await ctx.host.ipBatch(present.flatMap((e) => vethHostDeleteLines(e.hostVeth)));
  } catch {
    // One bad line stops the batch: redo the rest one by one, so each failure is its own warning.
    const left = await hostLinks(ctx);
    const stay = present.filter((e) => left.has(e.hostVeth));
    await bestEffort(ctx, `network ${networkId}`, stay.map((e) => () => ctx.host.ipBatch(vethHostDeleteLines(e.hostVeth))));
  }
  await writeRecord(ctx.root, withEndpoints(rec, rec.endpoints.filter((e) => !mine(e))));
}
