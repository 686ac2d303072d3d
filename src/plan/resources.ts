// Which networks and named volumes a set of services uses, by their real (host-wide) names.
import type { Project, ServiceConfig } from '../project/model.ts';

/** Network keys of the project's networks a service joins (none with network_mode). */
export function serviceNetworks(svc: ServiceConfig): readonly string[] {
  return svc.refs.network_mode === undefined ? Object.keys(svc.networks ?? { default: null }).sort() : [];
}

export function serviceVolumes(project: Project, svc: ServiceConfig): readonly string[] {
  return svc.volumes
    .filter((v) => v.type === 'volume' && v.source !== undefined && v.source in project.volumes)
    .map((v) => v.source!);
}

/** Project networks (key → real name) the services use, external ones left out. */
export function managedNetworks(project: Project, services: readonly string[]): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const s of services) {
    for (const key of serviceNetworks(project.services[s]!)) {
      const net = project.networks[key];
      if (net && !net.external) out.set(key, net.name);
    }
  }
  return out;
}

export function managedVolumes(project: Project, services: readonly string[]): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const s of services) {
    for (const key of serviceVolumes(project, project.services[s]!)) {
      const vol = project.volumes[key];
      if (vol && !vol.external) out.set(key, vol.name);
    }
  }
  return out;
}
