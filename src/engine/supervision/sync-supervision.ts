// Rewrites supervision.json from what the runtime holds for the project (every container's
// supervision label) and asks the supervisor to reload. Calls are chained, so concurrent start
// ops never interleave their writes; calls made while one is queued share it (it reads the
// runtime when it runs, so it covers them all). A `stoppedByUser` mark survives while its
// container stays stopped; whatever runs again (up, start, restart) has lost it.
import type { EngineContext } from '../context.ts';
import type { SupervisedNetwork } from '../../supervisor/contract.ts';
import { supervisedOf } from '../labels.ts';
import { projectContainers } from '../ops/observe.ts';
import { readSupervisionSet, writeSupervisionSet } from './supervision-set.ts';
import { ensureSupervisor } from '../../supervisor/index.ts';

const chains = new WeakMap<EngineContext, Promise<void>>();
const queued = new WeakMap<EngineContext, Promise<void>>();

async function syncNow(ctx: EngineContext): Promise<void> {
  const marked = new Set(
    (readSupervisionSet(ctx.projectDir)?.containers ?? []).filter((c) => c.stoppedByUser).map((c) => c.id),
  );
  const containers = (await projectContainers(ctx)).flatMap((s) => {
    const c = supervisedOf(s.labels);
    if (!c) return [];
    const keep = marked.has(c.id) && s.status !== 'running' && s.status !== 'paused';
    return [keep ? { ...c, stoppedByUser: true } : c];
  });
  const ids = new Set(containers.flatMap((c) => c.endpoints.map((e) => e.networkId)));
  // Every network of the set, or the supervisor closes its DNS; the network manager reads each once.
  const networks: SupervisedNetwork[] = (await Promise.all([...ids].map((id) => ctx.nets.inspect(id))))
    .filter((n) => n !== undefined)
    .map((n) => ({ networkId: n.id, dnsAddress: n.gateway, subnet: n.subnet, internal: n.internal }));
  writeSupervisionSet(ctx.projectDir, ctx.project.name, networks, containers);
  await ensureSupervisor(ctx.projectDir);
}

export function syncSupervision(ctx: EngineContext): Promise<void> {
  const waiting = queued.get(ctx);
  if (waiting) return waiting;
  const next = (chains.get(ctx) ?? Promise.resolve())
    .catch(() => undefined)
    .then(() => {
      queued.delete(ctx); // from here on, a new call must queue a fresh sync behind this one
      return syncNow(ctx);
    });
  chains.set(ctx, next);
  queued.set(ctx, next);
  return next;
}
