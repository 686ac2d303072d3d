// `container run`'s networking, as docker run's: the default bridge (or none/host/a namespace
// path, handled by the caller), published ports, and the removal that undoes both. The engine's
// `openContainers` calls these three functions (commands/containers.ts).
import type { Runtime } from '../../runtime/index.ts';
import { UsageError } from '../../common/errors.ts';
import { ENGINE_LABELS, supervisedOf } from '../labels.ts';
import { removeStrayNetns } from './netns-intents.ts';
import { joinDefaultBridge, leaveBridge, STANDALONE_NETWORK_LABEL, standaloneDir } from './default-bridge.ts';
import { publishesPorts, syncForwarders } from '../supervision/standalone-forwarders.ts';
import { publishedPorts } from '../translate/publish-flags.ts';
import type { SupervisedPort } from '../../supervisor/contract.ts';

export { DEFAULT_NETWORK } from './default-bridge.ts';
export { parsePublish, publishedPorts } from '../translate/publish-flags.ts';

export interface RunNetworkRequest {
  readonly root: string;
  readonly name: string;
  /** --network: absent or "bridge" = the default bridge; anything else is the caller's. */
  readonly network?: string;
  readonly publish: readonly string[];
  readonly publishAll: boolean;
  /** The image's ExposedPorts, for -P. */
  readonly exposed: readonly string[];
  /** Why the container needs a namespace of its own (netns-changers.ts); absent: a pooled one. */
  readonly ownNetns?: string;
}

export interface RunNetwork {
  /** Spec fields: the namespace to join and the labels that removal reads. */
  readonly netns?: string;
  /** Its address on the default bridge (for /etc/hosts). */
  readonly address?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly SupervisedPort[];
  /** After start: the ports are bound (by the forwarders' supervisor) when this resolves. */
  started(rt: Runtime): Promise<void>;
  /** The container was never created: give back the namespace and address. */
  undo(): Promise<void>;
}

export const usesDefaultBridge = (network: string | undefined): boolean =>
  network === undefined || network === 'bridge';

export async function prepareRunNetwork(rt: Runtime, r: RunNetworkRequest): Promise<RunNetwork> {
  const wanted = publishedPorts(r.publish, r.publishAll, r.exposed);
  if (!usesDefaultBridge(r.network)) {
    if (wanted.length > 0)
      throw new UsageError(`--network ${r.network}: ports can only be published on the default bridge network`);
    return { labels: {}, ports: [], started: async () => undefined, undo: async () => undefined };
  }
  await removeStrayNetns(standaloneDir(r.root), rt); // left by a gantry killed between netns and create
  const j = await joinDefaultBridge(r.root, r.name, wanted, r.ownNetns);
  return {
    netns: j.netns,
    address: j.address,
    labels: j.labels,
    ports: j.ports,
    started: async (runtime) => (j.ports.length > 0 ? syncForwarders(r.root, runtime) : undefined),
    undo: j.undo,
  };
}

/**
 * `container rm` (and --rm): the container, then its endpoint and namespace, then its forwarders,
 * named by the labels the runtime's delete read (one state read per removal: issue 20).
 */
export async function removeRunContainer(rt: Runtime, root: string, id: string, force: boolean): Promise<void> {
  const labels = await rt.delete(id, { force });
  const ns = labels[ENGINE_LABELS.netns];
  const net = labels[STANDALONE_NETWORK_LABEL];
  if (ns !== undefined && net !== undefined) await leaveBridge(root, ns, net, id);
  if (net !== undefined && publishesPorts(labels)) await syncForwarders(root, rt);
}

/** `container port`: docker port's lines ("8080/tcp -> 0.0.0.0:49160"), optionally of one port. */
export function portLines(labels: Readonly<Record<string, string>>, only?: string): readonly string[] {
  const [port, proto = 'tcp'] = (only ?? '').split('/');
  return (supervisedOf(labels)?.ports ?? [])
    .filter((p) => only === undefined || (String(p.containerPort) === port && p.protocol === proto))
    .map(
      (p) =>
        `${p.containerPort}/${p.protocol} -> ${p.hostIp.includes(':') ? `[${p.hostIp}]` : p.hostIp || '0.0.0.0'}:${p.hostPort}`,
    );
}
