// `down`: the supervisor first (it must not restart what we stop), then containers in reverse
// dependency order, the project's networks, and with -v its volumes. Removal goes on past
// failures; they are reported as warnings and the first one fails the command at the end.
import { planDown, type DownOptions, type Plan } from '../../plan/index.ts';
import { RuntimeError } from '../../common/errors.ts';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineContext } from '../context.ts';
import { observe, projectContainers } from '../ops/observe.ts';
import { runPlan } from '../ops/run-plan.ts';
import { stopSupervisorFor } from '../ops/supervisor-seam.ts';
import { syncSupervision } from '../supervision/sync-supervision.ts';
import { removeInside } from '../../common/remove-inside.ts';
import { removeAnonVolumes } from '../ops/anon-volumes.ts';
import { removeStrayNetns } from '../ops/netns-intents.ts';

/** `gantry down` flags as options. */
export interface DownRequest extends DownOptions {
  readonly rmi?: 'local' | 'all';
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
}

async function removeImages(ctx: EngineContext, mode: 'local' | 'all'): Promise<void> {
  const refs = Object.values(ctx.project.services)
    .filter((s) => mode === 'all' || !s.image || s.image === `${ctx.project.name}-${s.name}`)
    .map((s) => s.image ?? `${ctx.project.name}-${s.name}`);
  for (const ref of new Set(refs))
    await ctx.images
      .remove(ref)
      .catch((e: unknown) => ctx.emit({ kind: 'warning', message: `image ${ref}: ${(e as Error).message}` }));
}

export async function down(ctx: EngineContext, req: DownRequest): Promise<Plan> {
  const observed = await observe(ctx);
  const plan = planDown(ctx.project, observed, req);
  if (req.dryRun) return plan;
  // Signalled now; its release awaited by every op but the stops (supervisor-seam.ts), its exit
  // before down returns: both overlap the work.
  const supervisor = stopSupervisorFor(ctx, plan);
  // A namespace whose container is gone (removed without its networking) goes first: its endpoint
  // then holds no network (the manager drops endpoints of gone owners, see ops/network-manager.ts).
  await removeStrayNetns(ctx.projectDir, ctx.runtime).catch(() => undefined);
  // `run` containers stay without --remove-orphans, and so does the network they use: as Compose, a warning only.
  const keptOneOffs = !req.removeOrphans && observed.containers.some((c) => c.oneOff);
  const failures = [
    ...(await runPlan(ctx, plan, {
      limit: 32,
      keepGoing: true,
      notice: { supervisorReleased: supervisor.released },
      tolerate: (op, e) => {
        if (!(op.kind === 'remove-network' && keptOneOffs && /still in use/.test(e.message))) return false;
        ctx.emit({
          kind: 'warning',
          message: `network ${op.target} is still in use by run containers (down --remove-orphans removes them)`,
        });
        return true;
      },
    })),
  ];
  await supervisor.gone; // no process of the project outlives down
  if (req.volumes) removeAnonymous(ctx, failures);
  // Kept `run` containers keep their supervisor (DNS, published ports, restarts).
  if (keptOneOffs)
    await syncSupervision(ctx).catch((e: unknown) =>
      ctx.emit({ kind: 'warning', message: `supervisor: ${(e as Error).message}` }),
    );
  else {
    rmSync(join(ctx.projectDir, 'supervision.json'), { force: true });
    if (failures.length === 0) await forgetProject(ctx);
  }
  if (req.rmi) await removeImages(ctx, req.rmi);
  if (failures.length > 0) throw new RuntimeError(`down: ${failures.length} step(s) failed; first: ${failures[0]}`);
  return plan;
}

/** -v: the anonymous volumes of the project's containers too (kept by a plain down, as Docker). */
function removeAnonymous(ctx: EngineContext, failures: string[]): void {
  try {
    for (const v of removeAnonVolumes(ctx.root, ctx.project.name))
      ctx.emit({ kind: 'op-done', op: 'remove-volume', target: v, ms: 0 });
  } catch (e) {
    failures.push(`remove anonymous volumes: ${(e as Error).message}`);
  }
}

/**
 * Once no container of the project is left, its state dir (health files, supervisor log and
 * marker, netns intents) describes nothing: emptied, so cycles of up/down leave no files. The
 * lock stays until release, which removes the then-empty dir.
 */
async function forgetProject(ctx: EngineContext): Promise<void> {
  if ((await projectContainers(ctx)).length > 0) return;
  let names: string[] = [];
  try {
    names = readdirSync(ctx.projectDir);
  } catch {}
  for (const n of names) if (n !== 'lock') removeInside(ctx.projectDir, join(ctx.projectDir, n));
}
