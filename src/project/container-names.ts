// The names of a service's containers, one per replica, decided in one place: container_name for
// its only container, else Compose's `<project>-<service>-<n>`. Normalize fills the model's
// `container_names` with them; `--scale` makes a project with other replica counts (withScale),
// as Compose applies its scale flags to the model before planning. Plan and engine only read.
import { ConfigError } from '../common/errors.ts';
import type { Project, ServiceConfig } from './model.ts';

export function containerNames(
  project: string,
  service: string,
  containerName: string | undefined,
  replicas: number,
): readonly string[] {
  if (containerName !== undefined) return replicas > 0 ? [containerName] : [];
  return Array.from({ length: replicas }, (_, i) => `${project}-${service}-${i + 1}`);
}

function scaled(project: Project, svc: ServiceConfig, replicas: number): ServiceConfig {
  if (svc.container_name !== undefined && replicas > 1) {
    throw new ConfigError(
      `service ${svc.name} uses the custom container name "${svc.container_name}": remove it to scale the service`,
    );
  }
  return {
    ...svc,
    deploy: { ...svc.deploy, replicas },
    container_names: containerNames(project.name, svc.name, svc.container_name, replicas),
  };
}

/** The project with these services' replica counts (up --scale, scale); the same object when none changes. */
export function withScale(project: Project, scale: Readonly<Record<string, number>> | undefined): Project {
  const changed = Object.entries(scale ?? {}).filter(
    ([name, n]) => project.services[name] !== undefined && project.services[name].container_names.length !== n,
  );
  if (changed.length === 0) return project;
  const services = { ...project.services };
  for (const [name, n] of changed) services[name] = scaled(project, project.services[name]!, n);
  return { ...project, services };
}

/** A service's first container, as network_mode / volumes_from `service:X` name it. */
export function firstContainer(svc: ServiceConfig): string {
  const name = svc.container_names[0];
  if (name === undefined) throw new ConfigError(`service ${svc.name} has no container (scaled to 0)`);
  return name;
}
