// Published ports fixed before planning: busy fixed ports fail `up` early (one error naming
// them all), random ones (no host port) get a free port now, and a recreated container keeps the
// random port its predecessor had, so clients need not look it up again.
import { checkPortsFree, choosePorts, portSlot, type PortSpec } from '../../network/index.ts';
import type { Observed } from '../../plan/index.ts';
import type { ServiceConfig, ServicePortConfig } from '../../project/model.ts';
import { RuntimeError, UnsupportedError } from '../../common/errors.ts';
import type { EngineContext } from '../context.ts';
import type { SupervisedPort } from '../../supervisor/contract.ts';
import { supervisedOf } from '../labels.ts';

/** A port to publish; `range`: a host range for one container port, of which one free port is taken. */
interface Wanted {
  readonly spec: PortSpec;
  readonly range?: readonly [number, number];
}

// The loader pairs equal-length ranges port by port, so a host range left here belongs to a single
// container port: each replica gets one free port of it, as Docker does for "8000-8010:80".
function specsOf(service: string, p: ServicePortConfig): Wanted[] {
  const protocol = p.protocol;
  if (protocol === 'sctp') throw new UnsupportedError(`service ${service}: sctp ports are not supported yet`);
  const [lo, hi] = (p.published ?? '0').split('-').map(Number) as [number, number | undefined];
  const spec = {
    hostIp: p.host_ip ?? '',
    hostPort: lo,
    containerIp: '',
    containerPort: p.target,
    protocol,
    owner: service,
  };
  return [hi !== undefined && hi !== lo ? { spec: { ...spec, hostPort: 0 }, range: [lo, hi] } : { spec }];
}

/** The first port of the range that no container of this run took and nothing on the host holds. */
async function pickInRange(name: string, w: Wanted, taken: Set<string>): Promise<PortSpec> {
  const [lo, hi] = w.range!;
  for (let port = lo; port <= hi; port++) {
    if (taken.has(portSlot(w.spec, port))) continue;
    const s = { ...w.spec, hostPort: port };
    if (
      await checkPortsFree([s]).then(
        () => true,
        () => false,
      )
    ) {
      taken.add(portSlot(s, port));
      return s;
    }
  }
  throw new RuntimeError(`service ${w.spec.owner}: ${name}: no free host port left in ${lo}-${hi}/${w.spec.protocol}`);
}

const toSupervised = (s: PortSpec): SupervisedPort => ({
  hostIp: s.hostIp ?? '',
  hostPort: s.hostPort,
  containerPort: s.containerPort,
  protocol: s.protocol,
});

/**
 * Ranges resolved, then random ports chosen where the container's name and port point, so the
 * same `up` (a dry run, then the run) finds the same ports on an unchanged host.
 */
async function choose(name: string, wanted: readonly Wanted[], taken: Set<string>): Promise<SupervisedPort[]> {
  const specs: PortSpec[] = [];
  for (const w of wanted) specs.push(w.range ? await pickInRange(name, w, taken) : w.spec);
  const keyed = specs.map((s) => ({ ...s, key: `${name}:${s.containerPort}/${s.protocol}` }));
  return (await choosePorts(keyed, taken)).map(toSupervised);
}

/** A oneoff's ports (run --service-ports / -p): probed and chosen like a fresh container's. */
export async function oneOffPorts(name: string, svc: ServiceConfig): Promise<PortsByContainer> {
  const wanted = svc.ports.flatMap((p) => specsOf(svc.name, p));
  await checkPortsFree(wanted.filter((w) => !w.range).map((w) => w.spec));
  return new Map([[name, await choose(name, wanted, new Set())]]);
}

/** Host ports per container name, chosen before planning; the plan's create ops carry them. */
export type PortsByContainer = ReadonlyMap<string, readonly SupervisedPort[]>;

/**
 * Every container the services may have after `up` (their container_names, scaled) gets its ports before the
 * plan is made: a missing one is probed and chosen fresh; an existing one (recreated or not, which
 * only the plan decides) keeps the random ports it had, held meanwhile by the supervisor, so they
 * are not probed. Only services that publish ports cost anything.
 */
export async function resolvePorts(
  ctx: EngineContext,
  services: readonly string[],
  observed: Observed,
): Promise<PortsByContainer> {
  const fresh: PortSpec[] = [];
  const owners: { name: string; wanted: Wanted[] }[] = [];
  const taken = new Set<string>();
  const existing = new Set(observed.containers.map((c) => c.name));
  for (const s of services) {
    const svc = ctx.project.services[s]!;
    if (svc.ports.length === 0) continue;
    const wanted = svc.ports.flatMap((p) => specsOf(svc.name, p));
    for (const name of svc.container_names) {
      if (!existing.has(name)) {
        fresh.push(...wanted.filter((w) => !w.range).map((w) => w.spec));
        owners.push({ name, wanted });
        continue;
      }
      // An existing container keeps its random port, or the port of a range it had.
      const old = supervisedOf(ctx.runtime.state(name).labels)?.ports ?? [];
      owners.push({
        name,
        wanted: wanted.map((w) => {
          if (w.spec.hostPort !== 0) return w;
          const had = old.find(
            (o) => o.containerPort === w.spec.containerPort && o.protocol === w.spec.protocol,
          )?.hostPort;
          if (had === undefined || (w.range && (had < w.range[0] || had > w.range[1]))) return w;
          taken.add(portSlot(w.spec, had));
          return { spec: { ...w.spec, hostPort: had } };
        }),
      });
    }
  }
  await checkPortsFree(fresh);
  const out = new Map<string, readonly SupervisedPort[]>();
  for (const o of owners) out.set(o.name, await choose(o.name, o.wanted, taken));
  return out;
}
