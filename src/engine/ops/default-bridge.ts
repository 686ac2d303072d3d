// docker run's default network for `container run`: one gantry network named "bridge" (egress
// masqueraded, isolated from compose networks by the network module's rules), a namespace of its
// own per container joined to it, and the published ports fixed before anything starts. The
// bridge stays when its last container goes, as Docker's docker0 does (`gantry network rm bridge`
// or `network prune` removes it). Labels on the container say what its removal must undo.
import { rmdirSync } from 'node:fs';
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
import { ENGINE_LABELS } from '../labels.ts';
import { netnsNameFor } from './networking.ts';
import { forgetNetns, recordNetns } from './netns-intents.ts';
import type { SupervisedContainer, SupervisedPort } from '../../supervisor/contract.ts';

export const DEFAULT_NETWORK = 'bridge';
/** Label of a `container run` container on a gantry network: the network id. */
export const STANDALONE_NETWORK_LABEL = 'io.gantry.standalone.network';

/** State of standalone containers (netns intents, the port forwarders' supervisor): not a project name. */
export const standaloneDir = (root: string): string => join(stateDirs(root).projects, '_containers');

export const networkManager = (root: string): NetworkManager =>
  createNetworkManager({ root: stateDirs(root).networks });

export interface BridgeJoin {
  readonly netns: string;
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

export async function joinDefaultBridge(
  root: string,
  name: string,
  wanted: readonly SupervisedPort[],
): Promise<BridgeJoin> {
  const ports = await fixPorts(name, wanted);
  const nets = networkManager(root);
  const info = await nets.ensureNetwork({
    id: DEFAULT_NETWORK,
    internal: false,
    labels: { 'io.gantry.default-bridge': 'true' },
  });
  const nsName = netnsNameFor(root, name);
  const dir = standaloneDir(root);
  recordNetns(dir, nsName, name); // a gantry killed before the container exists leaves a stray the next run deletes
  const undo = async (): Promise<void> => leaveBridge(root, nsName, info.id);
  try {
    // The namespace is made in the attach's own `ip` run (newNetns), not by createNetns first.
    const path = netnsPath(nsName);
    const r = await nets.attach(path, info.id, {
      ifname: 'eth0',
      defaultRoute: true,
      owner: name,
      newNetns: { owner: stateDirs(root).networks },
    });
    const supervised: SupervisedContainer = {
      id: name,
      service: name,
      number: 1,
      restart: { kind: 'no' },
      ports,
      endpoints: [{ networkId: info.id, address: r.address, names: [] }],
    };
    const labels = {
      [ENGINE_LABELS.netns]: nsName,
      [STANDALONE_NETWORK_LABEL]: info.id,
      ...(ports.length > 0 ? { [ENGINE_LABELS.supervision]: JSON.stringify(supervised) } : {}),
    };
    return { netns: path, labels, ports, undo };
  } catch (e) {
    await undo().catch(() => undefined);
    throw e;
  }
}

/** Detach (the network forgets the address) and the namespace goes with its veth, in one `ip` run. */
export async function leaveBridge(root: string, nsName: string, networkId: string): Promise<void> {
  await networkManager(root)
    .leave(nsName, networkId)
    .catch(() => undefined);
  await deleteNetns(nsName); // already gone unless the batch failed: then here, and the owner record
  forgetNetns(standaloneDir(root), nsName);
  for (const d of [join(standaloneDir(root), 'netns'), standaloneDir(root)]) {
    try {
      rmdirSync(d); // the last one out leaves no empty state dir behind
    } catch {} // not empty (or gone): another container's
  }
}
