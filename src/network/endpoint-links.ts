// The kernel side of a batch of attaches: the veths' host ends (and namespaces asked for) in one
// batch, then their inside ends, through one process where the host can; a failed batch is retried
// one endpoint at a time, so one bad request fails alone.
import { existsSync } from 'node:fs';
import { type NetContext, hostLinks, deleteHostLinks } from './context.ts';
import { vethHostLines, vethInsideLines } from './veth.ts';
import type { InsideBatch } from './host.ts';
import { netnsNameOf } from './netns.ts';
import type { Planned } from './endpoint-plan.ts';

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
export async function bothEnds(ctx: NetContext, planned: readonly Planned[]): Promise<void> {
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
