// Published ports fixed before anything starts: busy fixed ports fail `up` early (one error naming
// them all), random ones (no host port) get a free port now, and a recreated container keeps the
// random port its predecessor had, so clients need not look it up again.
import { checkPortsFree, choosePorts, type PortSpec } from '../network/index.ts';
import type { PlanOp } from '../plan/index.ts';
import type { ServiceConfig, ServicePortConfig } from '../project/model.ts';
import { UnsupportedError } from '../common/errors.ts';
import type { EngineContext } from './context.ts';
import type { SupervisedPort } from './supervision.ts';
import { supervisedOf } from './labels.ts';

function specsOf(service: string, p: ServicePortConfig): PortSpec[] {
  const protocol = p.protocol;
  if (protocol === 'sctp') throw new UnsupportedError(`service ${service}: sctp ports are not supported yet`);
  const [lo, hi] = (p.published ?? '0').split('-').map(Number) as [number, number | undefined];
  const count = hi !== undefined ? hi - lo + 1 : 1;
  return Array.from({ length: count }, (_, i) => ({
    hostIp: p.host_ip ?? '',
    hostPort: lo === 0 ? 0 : lo + i,
    containerIp: '',
    containerPort: p.target + i,
    protocol,
    owner: service,
  }));
}

const toSupervised = (s: PortSpec): SupervisedPort => ({ hostIp: s.hostIp ?? '', hostPort: s.hostPort, containerPort: s.containerPort, protocol: s.protocol });

/** A oneoff's ports (run --service-ports / -p): probed and chosen like a fresh container's. */
export async function fixContainerPorts(ctx: EngineContext, name: string, svc: ServiceConfig): Promise<void> {
  const specs = svc.ports.flatMap((p) => specsOf(svc.name, p));
  await checkPortsFree(specs);
  ctx.ports.set(name, (await choosePorts(specs)).map(toSupervised));
}

export async function fixPorts(ctx: EngineContext, ops: readonly PlanOp[]): Promise<void> {
  const fresh: PortSpec[] = [];
  const owners: { name: string; specs: PortSpec[] }[] = [];
  for (const op of ops.filter((o) => o.kind === 'create-container' || o.kind === 'recreate')) {
    const svc = ctx.project.services[op.service!]!;
    let specs = svc.ports.flatMap((p) => specsOf(svc.name, p));
    if (op.kind === 'recreate') {
      const old = supervisedOf(ctx.runtime.state(op.target).labels)?.ports ?? [];
      specs = specs.map((s) => (s.hostPort === 0 ? { ...s, hostPort: old.find((o) => o.containerPort === s.containerPort && o.protocol === s.protocol)?.hostPort ?? 0 } : s));
    } else fresh.push(...specs);
    owners.push({ name: op.target, specs });
  }
  // Ports of recreated containers are held by the supervisor for their predecessor: not probed.
  await checkPortsFree(fresh);
  for (const o of owners) ctx.ports.set(o.name, (await choosePorts(o.specs)).map(toSupervised));
}
