// Published ports fixed before planning: busy fixed ports fail `up` early (one error naming
// them all), random ones (no host port) get a free port now, and a recreated container keeps the
// random port its predecessor had, so clients need not look it up again.
import { checkPortsFree, choosePorts, type PortSpec } from '../network/index.ts';
import { containerName, replicasOf, type Observed, type UpOptions } from '../plan/index.ts';
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
export async function oneOffPorts(name: string, svc: ServiceConfig): Promise<PortsByContainer> {
  const specs = svc.ports.flatMap((p) => specsOf(svc.name, p));
  await checkPortsFree(specs);
  return new Map([[name, (await choosePorts(specs)).map(toSupervised)]]);
}

/** Host ports per container name, chosen before planning; read by create-container. */
export type PortsByContainer = ReadonlyMap<string, readonly SupervisedPort[]>;

/**
 * Every container the services may have after `up` (replicas 1..N) gets its ports before the
 * plan is made: a missing one is probed and chosen fresh; an existing one (recreated or not, which
 * only the plan decides) keeps the random ports it had, held meanwhile by the supervisor, so they
 * are not probed. Only services that publish ports cost anything.
 */
export async function resolvePorts(ctx: EngineContext, services: readonly string[], observed: Observed, scale?: UpOptions['scale']): Promise<PortsByContainer> {
  const fresh: PortSpec[] = [];
  const owners: { name: string; specs: PortSpec[] }[] = [];
  const existing = new Set(observed.containers.map((c) => c.name));
  for (const s of services) {
    const svc = ctx.project.services[s]!;
    if (svc.ports.length === 0) continue;
    const specs = svc.ports.flatMap((p) => specsOf(svc.name, p));
    for (let n = 1; n <= replicasOf(svc, scale); n++) {
      const name = containerName(ctx.project.name, svc, n);
      if (!existing.has(name)) {
        fresh.push(...specs);
        owners.push({ name, specs });
        continue;
      }
      const old = supervisedOf(ctx.runtime.state(name).labels)?.ports ?? [];
      const kept = (p: PortSpec) => old.find((o) => o.containerPort === p.containerPort && o.protocol === p.protocol)?.hostPort ?? 0;
      owners.push({ name, specs: specs.map((p) => (p.hostPort === 0 ? { ...p, hostPort: kept(p) } : p)) });
    }
  }
  await checkPortsFree(fresh);
  const out = new Map<string, readonly SupervisedPort[]>();
  for (const o of owners) out.set(o.name, (await choosePorts(o.specs)).map(toSupervised));
  return out;
}
