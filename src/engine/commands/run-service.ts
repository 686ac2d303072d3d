// The service config a `run` container is made from: the service with the flags applied, by
// Compose's rules. The command replaces the service's; --entrypoint replaces the entrypoint and,
// with no command given, drops the command too. No published ports unless --service-ports / -p,
// no restart policy (a oneoff's exit is its result), no container_name (run has its own name).
import type { ServiceConfig, ServicePortConfig, ServiceVolumeConfig } from '../../project/model.ts';

export interface RunOverrides {
  readonly command?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly user?: string;
  readonly workdir?: string;
  /** "K=V" entries, over the service's environment. */
  readonly env?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly volumes?: readonly ServiceVolumeConfig[];
  readonly ports?: readonly ServicePortConfig[];
  readonly servicePorts?: boolean;
  readonly tty?: boolean;
  readonly interactive?: boolean;
}

function envOf(svc: ServiceConfig, entries: readonly string[]): Record<string, string | null> {
  const env: Record<string, string | null> = { ...svc.environment };
  for (const kv of entries) {
    const i = kv.indexOf('=');
    if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return env;
}

export function oneOffService(svc: ServiceConfig, o: RunOverrides): ServiceConfig {
  const { container_name: _name, restart: _restart, ...rest } = svc;
  const command = o.command?.length ? o.command : o.entrypoint !== undefined ? [] : svc.command;
  const extraVolumes = o.volumes ?? [];
  const user = o.user ?? svc.user;
  const workdir = o.workdir ?? svc.working_dir;
  return {
    ...rest,
    container_names: [], // a oneoff's name is the engine's (oneoff-name.ts), not a replica's
    ...(command !== undefined ? { command } : {}),
    ...(o.entrypoint !== undefined ? { entrypoint: o.entrypoint } : {}),
    ...(user !== undefined ? { user } : {}),
    ...(workdir !== undefined ? { working_dir: workdir } : {}),
    environment: envOf(svc, o.env ?? []),
    labels: { ...(svc.labels ?? {}), ...(o.labels ?? {}) },
    // A -v on a target the service mounts too replaces that mount.
    volumes: [...svc.volumes.filter((v) => !extraVolumes.some((x) => x.target === v.target)), ...extraVolumes],
    ports: [...(o.servicePorts ? svc.ports : []), ...(o.ports ?? [])],
    tty: o.tty ?? svc.tty ?? false,
    stdin_open: o.interactive ?? svc.stdin_open ?? false,
  };
}
