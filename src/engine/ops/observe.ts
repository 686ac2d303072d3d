// What exists for a project, read from the runtime (container labels), the network manager and
// the volume directory: the planner's Observed.
import { LABELS, type Observed, type ObservedContainer } from '../../plan/index.ts';
import type { ContainerState } from '../../runtime/index.ts';
import type { EngineContext } from '../context.ts';
import { listVolumes } from './volumes.ts';

export function toObserved(s: ContainerState): ObservedContainer {
  const l = s.labels;
  return {
    name: s.id,
    service: l[LABELS.service] ?? '',
    number: Number(l[LABELS.number] ?? 1),
    configHash: l[LABELS.configHash] ?? '',
    imageId: l[LABELS.image] ?? '',
    oneOff: l[LABELS.oneOff] === 'True',
    status: s.status === 'paused' ? 'running' : s.status, // the planner treats a frozen container as running
    ...(s.status === 'paused' ? { paused: true } : {}),
    ...(s.exitCode !== undefined ? { exitCode: s.exitCode } : {}),
  };
}

export async function projectContainers(
  ctx: Pick<EngineContext, 'runtime' | 'project'>,
): Promise<readonly ContainerState[]> {
  return (await ctx.runtime.list()).filter((s) => s.labels[LABELS.project] === ctx.project.name);
}

export async function observe(ctx: EngineContext): Promise<Observed> {
  const [containers, networks] = await Promise.all([projectContainers(ctx), ctx.nets.list()]);
  return {
    containers: containers.map(toObserved),
    networks: networks.map((n) => n.id),
    volumes: listVolumes(ctx.root).map((v) => v.name),
  };
}
