// A `gantry container run`'s container made: its image resolved, its spec translated as a service's is,
// its network prepared (the default bridge unless --network says otherwise), then created; the network's
// part undone if the create fails.
import type { ContainerSpec, Runtime } from '../../runtime/index.ts';
import { prepareRunNetwork, type RunNetwork } from '../ops/run-network.ts';
import type { ContainerRunRequest } from './containers.ts';

/** The spec, on the default bridge unless --network says otherwise (ops/run-network.ts), with its undo. */
async function specFor(
  rt: Runtime,
  root: string,
  req: ContainerRunRequest,
): Promise<{ spec: ContainerSpec; net: RunNetwork }> {
  const [{ resolveRunImage }, { containerRunSpec }, { userHome, selfStamp }, { changesNetns }] = await Promise.all([
    import('../translate/run-image.ts'),
    import('../translate/container-spec.ts'),
    import('../../runtime/index.ts'),
    import('../ops/netns-changers.ts'),
  ]);
  const img = await resolveRunImage(req.image, root);
  const base = containerRunSpec(
    req.name,
    img,
    req.command,
    req.flags,
    userHome(img.layers, req.flags.user ?? img.config.user),
  );
  const own = changesNetns(base);
  const net = await prepareRunNetwork(rt, {
    root,
    ...(own !== undefined ? { ownNetns: own } : {}),
    name: req.name,
    publish: req.flags.publish ?? [],
    publishAll: req.flags.publishAll === true,
    exposed: img.config.exposedPorts ?? [],
    ...(req.flags.network !== undefined ? { network: req.flags.network } : {}),
  });
  const spec = {
    ...base,
    ...(net.netns ? { netns: net.netns } : {}),
    ...(net.address ? { hostAddress: net.address } : {}),
    labels: net.labels,
  };
  return { spec: req.rm ? { ...spec, autoRemove: selfStamp() } : spec, net };
}

export async function createRunContainer(rt: Runtime, root: string, req: ContainerRunRequest): Promise<RunNetwork> {
  const { spec, net } = await specFor(rt, root, req);
  await rt.create(req.name, spec).catch(async (e: unknown) => {
    await net.undo();
    throw e;
  });
  return net;
}
