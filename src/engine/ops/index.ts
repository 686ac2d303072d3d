// One plan op → the calls that carry it out; each emits op-start / op-done for progress.
import type { PlanOp } from '../../plan/index.ts';
import type { EngineContext, OneOffRun } from '../context.ts';
import { RuntimeError } from '../../common/errors.ts';
import { createVolume, removeVolume } from './volumes.ts';
import { waitForDependencies } from './depends-on-conditions.ts';
import { syncSupervision } from '../supervision/sync-supervision.ts';
import { afterStart, beforeStart } from './supervisor-seam.ts';
import { createServiceContainer, removeContainer, stopContainer, type ContainerToMake } from './container.ts';

async function createNetwork(ctx: EngineContext, id: string): Promise<void> {
  const entry = Object.values(ctx.project.networks).find((n) => n.name === id);
  const pools = (entry?.ipam?.config ?? []).map((c) => ({
    ...(c.subnet ? { subnet: c.subnet } : {}),
    ...(c.ip_range ? { ipRange: c.ip_range } : {}),
    ...(c.gateway ? { gateway: c.gateway } : {}),
  }));
  await ctx.nets.ensureNetwork({
    id,
    internal: entry?.internal ?? false,
    labels: { ...(entry?.labels ?? {}), 'com.docker.compose.project': ctx.project.name },
    ...(pools.length > 0 ? { ipam: pools } : {}),
  });
}

function oneOffOf(ctx: EngineContext, op: PlanOp): OneOffRun {
  if (ctx.oneOff?.name !== op.target) throw new RuntimeError(`run ${op.target}: no oneoff of that name was resolved`);
  return ctx.oneOff;
}

/** A program that cannot be exec'd still has an exit code (127, 126), as with Docker: the run's result, not a failure. */
async function startOneOff(ctx: EngineContext, run: OneOffRun): Promise<void> {
  try {
    const shim = await ctx.runtime.start(run.name, run.start);
    await syncSupervision(ctx);
    run.started({ shim });
  } catch (e) {
    const code = ctx.runtime.state(run.name).exitCode;
    if (code === undefined || code <= 0) throw e;
    run.started({ failed: { exitCode: code, message: (e as Error).message } });
  }
}

/** What a create-container / recreate op says of the container it makes. */
const made = (op: PlanOp): ContainerToMake => ({
  service: op.service!,
  number: op.number!,
  name: op.target,
  ports: op.ports ?? [],
});

const signalOf = (s: string): NodeJS.Signals | number => (/^\d+$/.test(s) ? Number(s) : (s as NodeJS.Signals));

async function dispatch(ctx: EngineContext, op: PlanOp, signal: AbortSignal): Promise<void> {
  switch (op.kind) {
    case 'create-network':
      return createNetwork(ctx, op.target);
    case 'create-volume': {
      const entry = Object.values(ctx.project.volumes).find((v) => v.name === op.target);
      return createVolume(ctx.root, op.target, ctx.project.name, entry?.labels ?? {});
    }
    case 'create-container':
      return createServiceContainer(ctx, made(op), op.oneOff ? oneOffOf(ctx, op) : undefined);
    case 'recreate':
      await stopContainer(ctx, op.target);
      await removeContainer(ctx, op.target);
      return createServiceContainer(ctx, made(op));
    case 'start':
      await waitForDependencies(ctx, op.service!, signal);
      if (signal.aborted) return;
      if (op.oneOff) return startOneOff(ctx, oneOffOf(ctx, op));
      await beforeStart(ctx, op.service!);
      return afterStart(ctx, op.service!, op.target, await ctx.runtime.startDetached(op.target));
    case 'stop':
      return stopContainer(ctx, op.target);
    case 'remove':
      return removeContainer(ctx, op.target);
    case 'remove-network':
      return ctx.nets.removeNetwork(op.target);
    case 'remove-volume':
      return removeVolume(ctx.root, op.target);
    case 'kill':
      return ctx.runtime.kill(op.target, signalOf(op.signal ?? 'SIGKILL'));
    case 'pause':
      return ctx.runtime.pause(op.target);
    case 'unpause':
      return ctx.runtime.resume(op.target);
  }
}

export async function runOp(ctx: EngineContext, op: PlanOp, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  const t0 = performance.now();
  ctx.emit({ kind: 'op-start', op: op.kind, target: op.target, cause: op.cause });
  try {
    await dispatch(ctx, op, signal);
  } catch (e) {
    ctx.emit({ kind: 'op-failed', op: op.kind, target: op.target, error: (e as Error).message });
    throw e;
  }
  ctx.emit({ kind: 'op-done', op: op.kind, target: op.target, ms: Math.round(performance.now() - t0) });
}
