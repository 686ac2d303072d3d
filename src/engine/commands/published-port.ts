// `port SERVICE PRIVATE_PORT`: the host address a container port is published on, as the engine
// fixed it at `up` (kept in the container's supervision label).
import { RuntimeError } from '../../common/errors.ts';
import { LABELS } from '../../plan/index.ts';
import type { EngineContext } from '../context.ts';
import { supervisedOf } from '../labels.ts';
import { serviceContainers } from './lifecycle.ts';

/** `gantry port` flags as options. */
export interface PortRequest {
  readonly protocol?: 'tcp' | 'udp';
  /** Container number of the service (default 1). */
  readonly index?: number;
}

export async function publishedPort(
  ctx: EngineContext,
  service: string,
  privatePort: number,
  req: PortRequest = {},
): Promise<string> {
  const index = req.index ?? 1;
  const protocol = req.protocol ?? 'tcp';
  const c = (await serviceContainers(ctx, [service])).find((s) => Number(s.labels[LABELS.number] ?? 1) === index);
  if (!c) throw new RuntimeError(`service "${service}" has no container with index ${index}`);
  const p = supervisedOf(c.labels)?.ports.find((x) => x.containerPort === privatePort && x.protocol === protocol);
  if (!p) throw new RuntimeError(`no port ${privatePort}/${protocol} for container ${c.id}`);
  return `${p.hostIp || '0.0.0.0'}:${p.hostPort}`;
}
