// create / remove / stop of one container. create: netns + endpoints, volumes filled from the
// image, labels (project, service, number, config hash, image, supervision), runtime.create;
// every step is undone if a later one fails. remove detaches and deletes what create made.
import { serviceHash } from '../../project/hash.ts';
import { LABELS, type PlannedPort } from '../../plan/index.ts';
import { firstContainer } from '../../project/container-names.ts';
import { userHome, type MountSpec } from '../../runtime/index.ts';
import type { ServiceConfig } from '../../project/model.ts';
import { RuntimeError } from '../../common/errors.ts';
import type { EngineContext } from '../context.ts';
import { ENGINE_LABELS, supervisedOf } from '../labels.ts';
import type { SupervisedContainer } from '../../supervisor/contract.ts';
import { mergeHealthcheck, restartPolicy } from '../supervision/supervision-set.ts';
import { mountsFor, namedMounts } from '../translate/mounts.ts';
import { materializeFiles, removeFiles } from './file-mounts.ts';
import { populateVolume } from './volumes.ts';
import { toSpec } from '../translate/to-spec.ts';
import { anonMounts } from './anon-volumes.ts';
import { setUpNetworking, tearDownNetworking } from './networking.ts';
import { filesOf } from '../../supervisor/files.ts';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

function volumesFromMounts(ctx: EngineContext, svcName: string): MountSpec[] {
  const { project } = ctx;
  return project.services[svcName]!.refs.volumes_from.flatMap((ref) => {
    const id = ref.kind === 'container' ? ref.name : firstContainer(project.services[ref.name]!);
    const mounts = ctx.runtime.spec(id).mounts ?? [];
    return mounts
      .filter((m) => !['/etc/hosts', '/etc/resolv.conf', '/etc/hostname'].includes(m.target))
      .map((m) => (ref.readOnly ? { ...m, readOnly: true } : m));
  });
}

/** A `run` container: its own service config (the flags applied), and whether it takes the service's DNS names. */
export interface OneOff {
  readonly svc: ServiceConfig;
  readonly useAliases: boolean;
}

/** What the plan's op says of the container: `ports` are the host ports chosen for it (PlanOp.ports). */
export interface ContainerToMake {
  readonly service: string;
  readonly number: number;
  readonly name: string;
  readonly ports: readonly PlannedPort[];
}

export async function createServiceContainer(ctx: EngineContext, op: ContainerToMake, oneOff?: OneOff): Promise<void> {
  const { service: svcName, number, name } = op;
  const svc = oneOff?.svc ?? ctx.project.services[svcName]!;
  const image = ctx.imageOf.get(svcName);
  if (!image) throw new RuntimeError(`service ${svcName}: image ${svc.image ?? '?'} not resolved`);
  const mounts = [
    ...mountsFor(ctx.root, ctx.project, svc, volumesFromMounts(ctx, svcName)),
    ...materializeFiles(ctx.project, ctx.projectDir, svc, name),
  ];
  for (const m of namedMounts(ctx.project, svc))
    if (!m.nocopy) await populateVolume(ctx.root, m.volume, image.layers, m.target);
  mounts.push(...(await anonMounts(ctx.root, ctx.project.name, name, svc, image)));
  const net = await setUpNetworking(ctx, svc, name, oneOff?.useAliases ?? true).catch((e: unknown) => {
    removeFiles(ctx.projectDir, name);
    throw e;
  });
  const health = mergeHealthcheck(svc, image);
  const supervised: SupervisedContainer = {
    id: name,
    service: svcName,
    number,
    ...(health ? { healthcheck: health } : {}),
    restart: restartPolicy(svc.restart),
    endpoints: net.endpoints,
    ports: op.ports,
    // with the embedded DNS, `dns` servers are where the responder forwards this container's queries
    ...(svc.dns?.length && net.endpoints.length > 0 ? { dns: svc.dns } : {}),
    ...linksOf(svc),
  };
  const labels: Record<string, string> = {
    ...(svc.labels ?? {}),
    [LABELS.project]: ctx.project.name,
    [LABELS.service]: svcName,
    [LABELS.number]: String(number),
    [LABELS.configHash]: serviceHash(svc, ctx.project),
    [LABELS.image]: image.id,
    [LABELS.oneOff]: oneOff ? 'True' : 'False',
    [LABELS.configFiles]: ctx.project.configFiles.join(','),
    [LABELS.workingDir]: ctx.project.workingDir,
    [ENGINE_LABELS.supervision]: JSON.stringify(supervised),
    ...(net.netnsName ? { [ENGINE_LABELS.netns]: net.netnsName } : {}),
  };
  try {
    const home = userHome(image.layers, svc.user ?? image.config.user);
    await ctx.runtime.create(name, toSpec({ svc, image, home, name, mounts, net: net.spec, labels }));
  } catch (e) {
    removeFiles(ctx.projectDir, name);
    await ctx.runtime.delete(name, { force: true }).catch(() => undefined);
    await tearDownNetworking(ctx, net.netnsName, net.endpoints).catch(() => undefined);
    throw e;
  }
}

/** `links: [db:database]`: `database` resolves to db for this container only, as in Docker. */
function linksOf(svc: ServiceConfig): Pick<SupervisedContainer, 'links'> {
  const links = svc.refs.links.filter((l) => l.alias !== l.service).map((l) => [l.alias, l.service] as const);
  return links.length > 0 ? { links: Object.fromEntries(links) } : {};
}

export async function stopContainer(
  ctx: Pick<EngineContext, 'runtime' | 'project' | 'stopTimeoutMs'>,
  name: string,
): Promise<void> {
  const svc = ctx.project.services[ctx.runtime.state(name).labels[LABELS.service] ?? ''];
  const timeoutMs = ctx.stopTimeoutMs ?? svc?.stop_grace_period ?? 10_000;
  await ctx.runtime.stop(name, { timeoutMs });
}

export async function removeContainer(
  ctx: Pick<EngineContext, 'runtime' | 'nets' | 'emit' | 'projectDir'>,
  name: string,
): Promise<void> {
  let labels: Readonly<Record<string, string>>;
  try {
    labels = ctx.runtime.state(name).labels;
  } catch {
    return; // already gone
  }
  // The namespace goes while the runtime deletes: the detaches of every container a down removes
  // then arrive together and share one lock turn and one kernel batch (the last of a network's
  // also takes its bridge, see expectRemoval). It goes even when a half-made container (killed
  // mid-create) refuses deletion.
  const network = tearDownNetworking(ctx, labels[ENGINE_LABELS.netns], supervisedOf(labels)?.endpoints ?? []);
  // The runtime's part (cgroup, ≈ 25 files of the container's dir, each on this thread) starts once
  // the network's child has: before, it ran ahead of the detach's few async steps (lock, record,
  // links), and a 10-service down forked the teardown only after every dir was gone; now the dirs
  // go while the kernel waits out the deletes' RCU barriers (≈ 45 ms). bench/RESULTS.md, down13.
  await ctx.nets.detachesUnderway();
  try {
    await ctx.runtime.delete(name, { force: true });
  } finally {
    // The container's own files need nothing of the network: gone before its end, not after.
    removeFiles(ctx.projectDir, name);
    // Health (status, probe log, restart count) is the instance's: a successor under the same name starts afresh.
    rmSync(join(filesOf(ctx.projectDir).health, `${name}.json`), { force: true });
    await network;
  }
}
