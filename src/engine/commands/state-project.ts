// A project known by its name alone (`down -p NAME`, `ps -p NAME` with no compose file in reach,
// as Compose does): its model rebuilt from what exists of it, services from its containers'
// labels, networks and volumes from their project labels. That is all down's plan and ps read;
// with no file there are no dependencies, so containers stop in any order, as in Compose.
import { checkName } from '../../common/names.ts';
import type { NetworkConfig, Project, ServiceConfig, VolumeConfig } from '../../project/model.ts';
import { createRuntime } from '../../runtime/index.ts';
import { LABELS } from '../labels.ts';
import { openNetworks } from '../ops/network-manager.ts';
import { listVolumes } from '../ops/volumes.ts';

const serviceOf = (name: string): ServiceConfig => ({
  name,
  environment: {},
  ports: [],
  volumes: [],
  depends_on: {},
  networks: {},
  refs: { tmpfs: [], volumes_from: [], links: [] },
  container_names: [],
});

export async function projectFromState(root: string, name: string): Promise<Project> {
  checkName('project', name);
  const mine = (labels: Readonly<Record<string, string>> | undefined): boolean => labels?.[LABELS.project] === name;
  const containers = (await createRuntime({ root }).list()).filter((c) => mine(c.labels));
  const services: Record<string, ServiceConfig> = {};
  for (const c of containers) {
    const svc = c.labels[LABELS.service];
    if (svc !== undefined && c.labels[LABELS.oneOff] !== 'True') services[svc] ??= serviceOf(svc);
  }
  const networks: Record<string, NetworkConfig> = {};
  for (const n of await (await openNetworks(root)).list()) {
    if (mine(n.labels)) networks[n.id] = { name: n.id };
  }
  const volumes: Record<string, VolumeConfig> = {};
  for (const v of listVolumes(root)) if (v.project === name) volumes[v.name] = { name: v.name };
  return {
    name,
    workingDir: containers[0]?.labels[LABELS.workingDir] ?? process.cwd(),
    configFiles: [],
    services,
    networks,
    volumes,
    secrets: {},
    configs: {},
    extensions: {},
    environment: {},
    activeProfiles: [],
    allProfiles: [],
    disabledServices: [],
    unsupported: [],
    warnings: [],
  };
}
