// A container's network namespace and its endpoints: its own netns joined to each service
// network (priority order, aliases, ipv4_address), or host / none / service:x / container:x.
import { createNetns, deleteNetns, memberNames, netnsPath, planJoins, type NetworkInfo } from '../../network/index.ts';
import type { NamespaceRef, ServiceConfig } from '../../project/model.ts';
import { RuntimeError } from '../../common/errors.ts';
import { stateDirs } from '../../common/state-root.ts';
import { firstContainer } from '../../project/container-names.ts';
import type { EngineContext } from '../context.ts';
import { ENGINE_LABELS } from '../context.ts';
import { supervisedOf } from '../labels.ts';
import type { SupervisedEndpoint } from '../../supervisor/contract.ts';
import { shortId } from '../../common/short-id.ts';
import { forgetNetns, recordNetns } from './netns-intents.ts';
import type { SpecNetworking } from '../translate/to-spec.ts';

export interface Networking {
  readonly spec: SpecNetworking;
  readonly netnsName?: string; // ours to delete with the container
  readonly endpoints: readonly SupervisedEndpoint[];
}

export const netnsNameFor = (root: string, name: string): string => `gantry-${shortId(`${root}\0${name}`)}`;

async function infoOf(ctx: EngineContext, id: string): Promise<NetworkInfo> {
  const known = await ctx.nets.inspect(id);
  if (!known) throw new RuntimeError(`network ${id} does not exist`);
  return known;
}

/**
 * service:X / container:X: X's namespace, and with it X's 127.0.0.11 (X's shim serves it), X's
 * primary address for the joiner's /etc/hosts and X's bridge for host-gateway.
 */
async function sharedNetns(ctx: EngineContext, ref: NamespaceRef): Promise<SpecNetworking> {
  const target = ref.kind === 'service' ? firstContainer(ctx.project.services[ref.name]!) : ref.name;
  const labels = ctx.runtime.state(target).labels;
  const ns = labels[ENGINE_LABELS.netns];
  if (!ns)
    throw new RuntimeError(
      `network_mode ${ref.kind}:${ref.name}: container ${target} has no network namespace of gantry's`,
    );
  const primary = supervisedOf(labels)?.endpoints[0];
  const gateway = primary ? (await ctx.nets.inspect(primary.networkId))?.gateway : undefined;
  return {
    shareNet: netnsPath(ns),
    dnsServers: [],
    ...(primary ? { embeddedDns: {}, address: primary.address } : {}),
    ...(gateway ? { hostGateway: gateway } : {}),
  };
}

/** serviceNames false (a oneoff without --use-aliases): it answers to its container name only. */
export async function setUpNetworking(
  ctx: EngineContext,
  svc: ServiceConfig,
  name: string,
  serviceNames = true,
): Promise<Networking> {
  const ref = svc.refs.network_mode;
  const mode = ref?.kind === 'mode' ? ref.name : undefined;
  if (mode === 'host') return { spec: { shareNet: 'host', dnsServers: [], hostGateway: '127.0.0.1' }, endpoints: [] };
  if (ref && ref.kind !== 'mode') return { spec: await sharedNetns(ctx, ref), endpoints: [] };
  const nsName = netnsNameFor(ctx.root, name);
  recordNetns(ctx.projectDir, nsName, name);
  const path = netnsPath(nsName);
  const owner = stateDirs(ctx.root).networks;
  try {
    if (mode === 'none') {
      await createNetns(nsName, undefined, owner);
      await ctx.nets.loopbackOnly(path);
      return { spec: { netns: path, dnsServers: [] }, netnsName: nsName, endpoints: [] };
    }
    const nets = svc.networks ?? { default: null };
    const infos = await Promise.all(
      Object.keys(nets).map(async (k) => ({ key: k, info: await infoOf(ctx, ctx.project.networks[k]?.name ?? k) })),
    );
    const joins = planJoins(
      infos.map(({ key, info }) => ({
        networkId: info.id,
        internal: info.internal,
        ...(nets[key]?.priority !== undefined ? { priority: nets[key]!.priority! } : {}),
      })),
    );
    // The first attach's host batch makes the namespace (newNetns): one `ip` run per batch of
    // attaches instead of a `netns add` batch and then the attach's (issue 20: 60 services spent
    // 1.9 s of synchronous spawn time in `netns add` runs under load).
    if (joins.length === 0) await createNetns(nsName, undefined, owner);
    const endpoints: SupervisedEndpoint[] = [];
    for (const j of joins) {
      const key = infos.find((x) => x.info.id === j.networkId)!.key;
      const cfg = nets[key];
      // the service's own mac_address goes to its primary network, as Compose does
      const mac = cfg?.mac_address ?? (j === joins[0] ? svc.mac_address : undefined);
      const r = await ctx.nets.attach(path, j.networkId, {
        ifname: j.ifname,
        defaultRoute: j.defaultRoute,
        owner: name,
        ...(j === joins[0] ? { newNetns: { owner } } : {}),
        ...(cfg?.ipv4_address ? { ipv4Address: cfg.ipv4_address } : {}),
        ...(mac ? { macAddress: mac } : {}),
      });
      const aliases = cfg?.aliases ?? [];
      endpoints.push({
        networkId: j.networkId,
        address: r.address,
        names: serviceNames ? memberNames(svc.name, name, aliases) : [name],
      });
    }
    const first = joins[0] ? infos.find((x) => x.info.id === joins[0]!.networkId)?.info : undefined;
    // Docker's 127.0.0.11 in this netns, relayed by the shim to the primary network's responder
    const dns = first ? { embeddedDns: { relayTo: first.gateway }, hostGateway: first.gateway } : {};
    return {
      spec: { netns: path, dnsServers: [], ...dns, ...(endpoints[0] ? { address: endpoints[0].address } : {}) },
      netnsName: nsName,
      endpoints,
    };
  } catch (e) {
    await tearDownNetworking(ctx, nsName, []).catch(() => undefined);
    throw e;
  }
}

/** Detach first (so the network's records lose the endpoint), then delete the namespace. */
export async function tearDownNetworking(
  ctx: Pick<EngineContext, 'nets' | 'emit' | 'projectDir'>,
  nsName: string | undefined,
  endpoints: readonly SupervisedEndpoint[],
): Promise<void> {
  if (!nsName) return;
  for (const [i, ep] of endpoints.entries()) {
    // The last detach deletes the namespace in its veths' `ip` run (leave): one spawn less per
    // down than a batch of its own after it; deleteNetns below then finds it gone.
    const last = i === endpoints.length - 1;
    await (last ? ctx.nets.leave(nsName, ep.networkId) : ctx.nets.detach(netnsPath(nsName), ep.networkId)).catch(
      (e: unknown) =>
        ctx.emit({ kind: 'warning', message: `detach ${nsName} from ${ep.networkId}: ${(e as Error).message}` }),
    );
  }
  await deleteNetns(nsName);
  forgetNetns(ctx.projectDir, nsName);
}
