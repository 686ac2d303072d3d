// `up --wait`: every container of the selected services running, and healthy when it has a
// healthcheck (one-shot containers that exited 0 count as done, as in Compose).
import { RuntimeError } from '../../common/errors.ts';
import { LABELS } from '../../plan/index.ts';
import type { EngineContext } from '../context.ts';
import type { ContainerReadiness } from '../events.ts';
import { supervisedOf } from '../labels.ts';
import { projectContainers } from './observe.ts';
import { readHealth } from '../../supervisor/index.ts';
import { lastWords } from './last-words.ts';

export async function waitRunning(
  ctx: EngineContext,
  services: readonly string[],
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + ctx.waitTimeoutMs;
  const told = new Map<string, ContainerReadiness>();
  // Each container's state is told once per change, as Compose's Waiting → Healthy/Exited lines.
  const tell = (id: string, service: string, state: ContainerReadiness): void => {
    if (told.get(id) === state) return;
    told.set(id, state);
    ctx.emit({ kind: 'container-state', target: id, service, state });
  };
  for (;;) {
    const mine = (await projectContainers(ctx)).filter((s) => services.includes(s.labels[LABELS.service] ?? ''));
    const pending: string[] = [];
    for (const s of mine) {
      const service = s.labels[LABELS.service] ?? '';
      if (s.status === 'exited' && s.exitCode !== 0) {
        tell(s.id, service, 'exited');
        throw new RuntimeError(
          `container ${s.id} exited with code ${s.exitCode ?? '?'}${await lastWords(ctx.runtime, s.id)}`,
        );
      }
      if (s.status === 'exited') tell(s.id, service, 'exited');
      if (s.status === 'created') pending.push(`${s.id} (created)`);
      if (s.status !== 'running') continue;
      if (!supervisedOf(s.labels)?.healthcheck) {
        tell(s.id, service, 'healthy'); // running is ready, as Compose's --wait counts it
        continue;
      }
      const h = readHealth(ctx.projectDir, s.id);
      if (h?.status === 'unhealthy') {
        tell(s.id, service, 'unhealthy');
        throw new RuntimeError(
          `container ${s.id} is unhealthy (${h.log.at(-1)?.output.trim() ?? ''})${await lastWords(ctx.runtime, s.id)}`,
        );
      }
      if (h?.status === 'healthy') tell(s.id, service, 'healthy');
      else {
        tell(s.id, service, 'waiting');
        pending.push(`${s.id} (${h?.status ?? 'starting'})`);
      }
    }
    if (pending.length === 0) return;
    if (signal?.aborted) throw new RuntimeError('interrupted while waiting', { exitCode: 130 });
    if (Date.now() > deadline)
      throw new RuntimeError(`--wait: not ready within ${ctx.waitTimeoutMs} ms: ${pending.join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
