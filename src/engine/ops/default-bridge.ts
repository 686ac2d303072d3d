// docker run's default network for `container run`: one gantry network named "bridge" (egress
// masqueraded, isolated from compose networks by the network module's rules), a namespace per
// container joined to it, and the published ports fixed before anything starts. The namespace is
// leased from the state root's pool on the bridge (netns-pool.ts; Docker reuses addresses too)
// and given back when the container is removed; a container that could change it (netns-changers.ts)
// gets one of its own, deleted with it. The bridge and the pool's kept members stay when the last
// container goes, as Docker's docker0 does (`gantry network rm bridge` or `network prune` removes
// them). Labels on the container say what its removal must undo.
import { join } from 'node:path';
import {
  checkPortsFree,
  choosePorts,
  createNetworkManager,
  deleteNetns,
  netnsPath,
  type NetworkManager,
  type PortSpec,
} from '../../network/index.ts';
import { stateDirs } from '../../common/state-root.ts';
import { shortId } from '../../common/short-id.ts';
import { ENGINE_LABELS } from '../labels.ts';
import { netnsNameFor } from './networking.ts';
import { forgetNetns, recordNetns } from './netns-intents.ts';
import { containerGone } from './network-manager.ts';
import { isMember, leaseMember, releaseMember, removeEmptyDirs, type NetnsPool } from './netns-pool.ts';
import type { SupervisedContainer, SupervisedPort } from '../../supervisor/contract.ts';

export const DEFAULT_NETWORK = 'bridge';
/** Label of a `container run` container on a gantry network: the network id. */
export const STANDALONE_NETWORK_LABEL = 'io.gantry.standalone.network';

/** State of standalone containers (netns intents, the port forwarders' supervisor): not a project name. */
export const standaloneDir = (root: string): string => join(stateDirs(root).projects, '_containers');

export const networkManager = (root: string): NetworkManager =>
  createNetworkManager({ root: stateDirs(root).networks });

const DEFAULT_SPEC = { id: DEFAULT_NETWORK, internal: false, labels: { 'io.gantry.default-bridge': 'true' } };

/**
 * The default bridge's pool of a state root. A lease names its container: it outlives the CLI
 * (-d) and is free once that container is gone. Four members kept: as many `run --rm` at once
 * as a developer or a test suite keeps going here; more are made and removed per container.
 */
export const runPool = (root: string): NetnsPool => ({
  root,
  network: DEFAULT_SPEC,
  what: 'namespace of the default bridge',
  prefix: `gantry-r${shortId(root).slice(0, 8)}-pool-`,
  leaseDir: join(standaloneDir(root), 'netns-pool'),
  emptyDirs: [join(standaloneDir(root), 'netns'), standaloneDir(root)],
  endpointOwner: 'run pool',
  ownerGone: (id) => containerGone(root, id),
  keep: 4,
});

export interface BridgeJoin {
  readonly netns: string;
  /** The container's address on the bridge (its /etc/hosts names it). */
  readonly address: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly SupervisedPort[];
  /** Undoes the join when the container could not be created or started. */
  undo(): Promise<void>;
}

const asSpec = (p: SupervisedPort, name: string): PortSpec => ({ ...p, containerIp: '', owner: name });

/** Busy fixed ports fail here, before anything exists; free ones are chosen for `hostPort: 0`. */
async function fixPorts(name: string, ports: readonly SupervisedPort[]): Promise<readonly SupervisedPort[]> {
  await checkPortsFree(ports.map((p) => asSpec(p, name)));
  const chosen = await choosePorts(ports.map((p) => asSpec(p, name)));
  return chosen.map((p) => ({
    hostIp: p.hostIp ?? '',
    hostPort: p.hostPort,
    containerPort: p.containerPort,
    protocol: p.protocol,
  }));
}

interface Joined {
  readonly nsName: string;
  readonly path: string;
  readonly address: string;
  undo(): Promise<void>;
}

/** A member of the pool, already on the bridge: no `ip` run and no network lock when one is free. */
async function pooled(root: string, name: string): Promise<Joined> {
  const pool = runPool(root);
  const lease = await leaseMember(pool, name);
  const undo = () => releaseMember(pool, lease.name, false, name);
  return { nsName: lease.name, path: lease.path, address: lease.address, undo };
}

/** A namespace of its own, made in the attach's own `ip` run (newNetns), deleted with the container. */
async function ownNetns(root: string, name: string): Promise<Joined> {
  const nets = networkManager(root);
  const info = await nets.ensureNetwork(DEFAULT_SPEC);
  const nsName = netnsNameFor(root, name);
  // A gantry killed before the container exists leaves a stray the next run deletes.
  recordNetns(standaloneDir(root), nsName, name);
  const undo = async (): Promise<void> => leaveBridge(root, nsName, info.id, name);
  try {
    const path = netnsPath(nsName);
    const r = await nets.attach(path, info.id, {
      ifname: 'eth0',
      defaultRoute: true,
      owner: name,
      newNetns: { owner: stateDirs(root).networks },
    });
    return { nsName, path, address: r.address, undo };
  } catch (e) {
    await undo().catch(() => undefined);
    throw e;
  }
}

/** own: why the container needs a namespace of its own (netns-changers.ts); undefined: a pooled one. */
export async function joinDefaultBridge(
  root: string,
  name: string,
  wanted: readonly SupervisedPort[],
  own?: string,
): Promise<BridgeJoin> {
  const ports = await fixPorts(name, wanted);
  const j = own === undefined ? await pooled(root, name) : await ownNetns(root, name);
  const supervised: SupervisedContainer = {
    id: name,
    service: name,
    number: 1,
    restart: { kind: 'no' },
    ports,
    endpoints: [{ networkId: DEFAULT_NETWORK, address: j.address, names: [] }],
  };
  const labels = {
    [ENGINE_LABELS.netns]: j.nsName,
    [STANDALONE_NETWORK_LABEL]: DEFAULT_NETWORK,
    ...(ports.length > 0 ? { [ENGINE_LABELS.supervision]: JSON.stringify(supervised) } : {}),
  };
  return { netns: j.path, address: j.address, labels, ports, undo: j.undo };
}

/**
 * A pool member goes back to the pool (if `container` still holds it). Its own namespace: detach (the
 * network forgets the address) and the namespace goes with its veth, in one `ip` run.
 */
export async function leaveBridge(root: string, nsName: string, networkId: string, container: string): Promise<void> {
  const pool = runPool(root);
  if (isMember(pool, nsName)) {
    await releaseMember(pool, nsName, false, container);
  } else {
    await networkManager(root)
      .leave(nsName, networkId)
      .catch(() => undefined);
    await deleteNetns(nsName); // already gone unless the batch failed: then here, and the owner record
    forgetNetns(standaloneDir(root), nsName);
  }
  removeEmptyDirs(pool);
}
