// Attaching a namespace to a network (one veth per network: eth0, eth1…) and detaching it. The
// endpoint is recorded as an intent before the veth exists, so gc can undo a half-made one.
import { existsSync } from 'node:fs';
import { ConfigError, RuntimeError } from '../common/errors.ts';
import { type NetContext, hostLinks, mustRead, deleteHostLinks } from './context.ts';
import { withLock } from './lock.ts';
import { writeRecord } from './store.ts';
import { teardown } from './networks.ts';
import { allocateAddress } from './ipam.ts';
import { parseCidr, parseIpv4, formatIpv4 } from './cidr.ts';
import { vethName } from './names.ts';
import { type VethPlan, checkVethInputs, macOfAddress, vethHostLines, vethInsideLines } from './veth.ts';
import type { AttachOptions, AttachResult, EndpointRecord, NetworkRecord } from './types.ts';
import type { InsideBatch } from './host.ts';
import { netnsNameOf } from './netns.ts';
import { recordNetnsOwner } from './owners.ts';

const planOf = (rec: NetworkRecord) => ({
  subnet: parseCidr(rec.subnet),
  gateway: parseIpv4(rec.gateway),
  ...(rec.ipRange ? { ipRange: parseCidr(rec.ipRange) } : {}),
});

const withEndpoints = (rec: NetworkRecord, endpoints: readonly EndpointRecord[]): NetworkRecord => ({
  ...rec,
  endpoints,
});

/** Checks the request and picks the address; the caller holds the lock. */
function planVeth(rec: NetworkRecord, netnsPath: string, opts: AttachOptions): VethPlan {
  const bad = checkVethInputs({ ...opts, netnsPath });
  if (bad) throw new ConfigError(`network ${rec.id}: ${bad}`);
  if (rec.endpoints.some((e) => e.netnsPath === netnsPath && e.ifname === opts.ifname)) {
    throw new RuntimeError(`network ${rec.id}: ${netnsPath} already has ${opts.ifname} on this network`);
  }
  const plan = planOf(rec);
  const used = new Set(rec.endpoints.map((e) => parseIpv4(e.address)));
  const address = allocateAddress(rec.id, plan, used, opts.ipv4Address);
  return {
    hostVeth: vethName(),
    bridge: rec.bridge,
    netnsPath,
    ifname: opts.ifname,
    address,
    prefix: plan.subnet.prefix,
    gateway: plan.gateway,
    defaultRoute: opts.defaultRoute && !rec.internal, // internal: no route out, by construction
    ...(rec.mtu !== undefined ? { mtu: rec.mtu } : {}),
    macAddress: opts.macAddress ?? macOfAddress(address),
  };
}

interface AttachRequest {
  readonly netnsPath: string;
  readonly opts: AttachOptions;
  readonly resolve: (r: AttachResult) => void;
  readonly reject: (e: unknown) => void;
}

interface Planned {
  readonly req: AttachRequest;
  readonly veth: VethPlan;
  readonly ep: EndpointRecord;
  error?: unknown;
}

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

/** Plans every request against the record (addresses picked one after the other); a bad one fails alone. */
function planAll(rec: NetworkRecord, reqs: readonly AttachRequest[]): Planned[] {
  const planned: Planned[] = [];
  let endpoints = rec.endpoints;
  for (const req of reqs) {
    try {
      const veth = planVeth(withEndpoints(rec, endpoints), req.netnsPath, req.opts);
      const ep: EndpointRecord = {
        netnsPath: req.netnsPath,
        ifname: req.opts.ifname,
        address: formatIpv4(veth.address),
        hostVeth: veth.hostVeth,
        owner: req.opts.owner ?? req.netnsPath,
        pid: process.pid,
        state: 'attaching',
      };
      endpoints = [...endpoints, ep];
      planned.push({ req, veth, ep });
    } catch (e) {
      req.reject(e);
    }
  }
  return planned;
}

/** A veth's host lines, after the `netns add` of a namespace asked for (newNetns) that is not there yet. */
function hostLinesOf(p: Planned): readonly string[] {
  const name = p.req.opts.newNetns === undefined ? undefined : netnsNameOf(p.req.netnsPath);
  const add = name !== undefined && !existsSync(p.req.netnsPath) ? [`netns add ${name}`] : [];
  return [...add, ...vethHostLines(p.veth)];
}

/** Host ends of all in one batch; if it fails, the half-made ones go and each is retried alone. */
async function addHostEnds(ctx: NetContext, planned: readonly Planned[]): Promise<void> {
  try {
    await ctx.host.ipBatch(planned.flatMap(hostLinesOf));
  } catch (e) {
    await hostEndsAlone(ctx, planned, e);
  }
}

async function hostEndsAlone(ctx: NetContext, planned: readonly Planned[], e: unknown): Promise<void> {
  if (planned.length === 1) {
    planned[0]!.error = e;
    return;
  }
  const links = await hostLinks(ctx);
  await deleteHostLinks(
    ctx,
    'attach',
    planned.filter((p) => links.has(p.ep.hostVeth)).map((p) => p.ep.hostVeth),
  );
  for (const p of planned) await ctx.host.ipBatch(hostLinesOf(p)).catch((e: unknown) => void (p.error = e));
}

const insideJobs = (planned: readonly Planned[]): InsideBatch[] =>
  planned.map((p) => ({ lines: vethInsideLines(p.veth), netnsPath: p.req.netnsPath }));

/**
 * Host ends, then inside ends: one process for both where the host can (issue 20: an attach cost
 * two forks of the CLI, ≈ 5–40 ms each by the machine's load). A failed host batch takes the
 * separate path: half-made links go, each host end is retried alone, then the inside ends.
 */
async function bothEnds(ctx: NetContext, planned: readonly Planned[]): Promise<void> {
  const ok = (): Planned[] => planned.filter((p) => p.error === undefined);
  if (ctx.host.ipHostThenInside === undefined) {
    await addHostEnds(ctx, planned);
    return insideEnds(ctx, ok());
  }
  const r = await ctx.host.ipHostThenInside(planned.flatMap(hostLinesOf), insideJobs(planned));
  if (r.host === undefined) {
    planned.forEach((p, i) => {
      if (r.inside[i] !== undefined) p.error = r.inside[i];
    });
    return;
  }
  await hostEndsAlone(ctx, planned, r.host);
  await insideEnds(ctx, ok());
}

/** Inside ends (address, lo, route), one batch per namespace: through one launcher where the host has it. */
async function insideEnds(ctx: NetContext, planned: readonly Planned[]): Promise<void> {
  const jobs = insideJobs(planned);
  if (ctx.host.ipBatchesInside !== undefined && jobs.length > 1) {
    const errors = await ctx.host.ipBatchesInside(jobs);
    planned.forEach((p, i) => {
      if (errors[i] !== undefined) p.error = errors[i];
    });
    return;
  }
  await Promise.all(
    planned.map((p, i) =>
      ctx.host.ipBatch(jobs[i]!.lines, jobs[i]!.netnsPath).catch((e: unknown) => void (p.error = e)),
    ),
  );
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

interface DetachRequest {
  readonly netnsPath: string;
  readonly ifname: string | undefined;
  /** The namespace (a name under /run/netns) goes in the same `ip` run as the veths. */
  readonly alsoNetns?: string;
}

/** Detaches waiting for the lock, per network: one lock turn, link listing and record write serves them all. */
const waiting = new WeakMap<NetContext, Map<string, DetachRequest[]>>();
const batchDone = new WeakMap<readonly DetachRequest[], Promise<void>>();

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
  const mine = (e: EndpointRecord): boolean =>
    reqs.some((r) => e.netnsPath === r.netnsPath && (r.ifname === undefined || e.ifname === r.ifname));
  const links = await hostLinks(ctx);
  const leaving = reqs.flatMap((r) => (r.alsoNetns !== undefined ? [r.alsoNetns] : []));
  if (ctx.leaving.has(networkId) && rec.endpoints.every(mine)) {
    // The last endpoints go with the bridge (and their namespaces), in one batch.
    await teardown(ctx, rec, links, leaving);
    ctx.leaving.delete(networkId);
    ctx.leftEarly.add(networkId);
    return;
  }
  // Deleting the host end deletes both ends; a namespace that already died took its veth along.
  await deleteHostLinks(
    ctx,
    `network ${networkId}`,
    rec.endpoints.filter((e) => mine(e) && links.has(e.hostVeth)).map((e) => e.hostVeth),
    leaving,
  );
  await writeRecord(
    ctx.root,
    withEndpoints(
      rec,
      rec.endpoints.filter((e) => !mine(e)),
    ),
  );
}
