// The normalized project: what every later stage (plan, engine, kube export) reads, and nothing
// else. Keys keep the Compose words (snake_case) so a model reads like the long-syntax compose
// file it came from. Units: durations are MILLISECONDS (numbers, may be fractional below 1 ms),
// byte sizes are BYTES, cpus are numbers of cores. Every type is readonly; no field is `any`.

import type { TmpfsMount } from '../common/tmpfs.ts';
import type { Extensions, FileObjectConfig, NetworkConfig, StringMap, VolumeConfig } from './model-resources.ts';
import type {
  DeviceMapping,
  LoggingConfig,
  EnvFileRef,
  DevelopConfig,
  BuildConfig,
  ServicePortConfig,
  ServiceVolumeConfig,
  DependsOn,
  HealthCheck,
  ServiceNetwork,
  ServiceFileRef,
  Ulimit,
  ExtraHost,
  DeployConfig,
} from './model-service-fields.ts';

export type * from './model-resources.ts';
export type * from './model-service-fields.ts';

/** A loaded, normalized Compose project: what `loadProject` returns and the engine runs. */
export interface Project {
  readonly name: string;
  readonly workingDir: string; // the project directory, absolute
  readonly configFiles: readonly string[];
  readonly services: Readonly<Record<string, ServiceConfig>>;
  readonly networks: Readonly<Record<string, NetworkConfig>>;
  readonly volumes: Readonly<Record<string, VolumeConfig>>;
  readonly secrets: Readonly<Record<string, FileObjectConfig>>;
  readonly configs: Readonly<Record<string, FileObjectConfig>>;
  readonly extensions: Extensions; // top-level x-*
  /** Variables used for interpolation and bare `environment` keys. */
  readonly environment: StringMap;
  readonly activeProfiles: readonly string[];
  readonly allProfiles: readonly string[];
  /** Services of inactive profiles: not in `services`, but a `required: false` dependency may name them. */
  readonly disabledServices: readonly string[];
  /** Fields present in the files that gantry does not implement yet (see unsupported.ts). */
  readonly unsupported: readonly UnsupportedField[];
  readonly warnings: readonly string[];
}

/** A field of the files gantry does not carry out yet (reported, never ignored silently). */
export interface UnsupportedField {
  readonly service: string | undefined; // undefined for top-level fields
  readonly path: string; // e.g. services.web.devices
  readonly keys: readonly (string | number)[]; // the same path as keys: ['services', 'web', 'devices']
  /** The value as written (after interpolation), so `config` can print it back. */
  readonly value: unknown;
}

/** A tmpfs entry of a service: TARGET[:size=BYTES,mode=OCTAL], parsed (common/tmpfs.ts). */
export type { TmpfsMount } from '../common/tmpfs.ts';

/** One `volumes_from` entry: a service or container whose volumes are mounted too. */
export interface VolumesFromRef {
  readonly kind: 'service' | 'container';
  readonly name: string;
  readonly readOnly: boolean;
}

/** One `links` entry: a service and the alias it is reached by. */
export interface LinkRef {
  readonly service: string;
  /** The extra name the linked service answers to (the service name when none is given). */
  readonly alias: string;
}

/** network_mode / ipc / pid: another's namespace (service:X, container:X) or a mode word (host, none, ...). */
export interface NamespaceRef {
  readonly kind: 'service' | 'container' | 'mode';
  readonly name: string;
}

/**
 * The string fields that name other things, parsed once at normalize (service-refs.ts); plan/ and
 * engine/ read these and never split the strings. Derived: `config` does not print it and the
 * service hash leaves it out (the strings it comes from are hashed).
 */
export interface ServiceRefs {
  readonly tmpfs: readonly TmpfsMount[];
  readonly volumes_from: readonly VolumesFromRef[];
  readonly links: readonly LinkRef[];
  readonly network_mode?: NamespaceRef;
  readonly ipc?: NamespaceRef;
  readonly pid?: NamespaceRef;
}

/** A service of the project, every short form in its long form (Compose field names). */
export interface ServiceConfig {
  readonly name: string;
  readonly image?: string; // `<project>-<service>` for a build-only service
  readonly build?: BuildConfig;
  readonly develop?: DevelopConfig;
  readonly command?: readonly string[] | null; // null: explicitly empty, image default not used
  readonly entrypoint?: readonly string[] | null;
  readonly environment: Readonly<Record<string, string | null>>; // env_file values merged in
  readonly env_file?: readonly EnvFileRef[];
  readonly ports: readonly ServicePortConfig[];
  readonly expose?: readonly string[];
  readonly volumes: readonly ServiceVolumeConfig[];
  readonly tmpfs?: readonly string[];
  /** Parsed forms of tmpfs, volumes_from, links, network_mode, ipc and pid. */
  readonly refs: ServiceRefs;
  readonly depends_on: Readonly<Record<string, DependsOn>>;
  readonly healthcheck?: HealthCheck;
  /** Absent only with network_mode; otherwise at least `default`. */
  readonly networks?: Readonly<Record<string, ServiceNetwork | null>>;
  readonly network_mode?: string;
  readonly secrets?: readonly ServiceFileRef[];
  readonly configs?: readonly ServiceFileRef[];
  readonly ulimits?: Readonly<Record<string, Ulimit>>;
  readonly extra_hosts?: readonly ExtraHost[];
  readonly deploy?: DeployConfig;
  readonly labels?: StringMap;
  readonly annotations?: StringMap;
  readonly sysctls?: StringMap;
  readonly cap_add?: readonly string[];
  readonly cap_drop?: readonly string[];
  readonly group_add?: readonly string[];
  readonly dns?: readonly string[];
  readonly dns_search?: readonly string[];
  readonly dns_opt?: readonly string[];
  readonly links?: readonly string[];
  readonly volumes_from?: readonly string[];
  readonly profiles?: readonly string[];
  readonly memswap_limit?: number; // bytes, -1 unlimited
  readonly cpu_shares?: number;
  readonly cpuset?: string;
  readonly shm_size?: number; // bytes
  readonly stop_grace_period?: number; // ms
  readonly restart?: string;
  readonly user?: string;
  readonly working_dir?: string;
  readonly hostname?: string;
  readonly domainname?: string;
  readonly container_name?: string;
  /**
   * Derived (container-names.ts): the containers' names by replica, index 0 for replica 1, as many
   * as deploy.replicas (`--scale` makes a project with other counts). `config` does not print it
   * and the hash leaves it out.
   */
  readonly container_names: readonly string[];
  readonly stop_signal?: string;
  readonly pid?: string;
  readonly ipc?: string;
  readonly pull_policy?: string;
  readonly platform?: string;
  readonly tty?: boolean;
  readonly stdin_open?: boolean;
  readonly init?: boolean;
  readonly read_only?: boolean;
  readonly privileged?: boolean;
  readonly attach?: boolean;
  readonly logging?: LoggingConfig;
  /** As written, but a seccomp profile path absolute (see security-opt.ts). */
  readonly security_opt?: readonly string[];
  readonly devices?: readonly DeviceMapping[];
  readonly oom_score_adj?: number;
  readonly mac_address?: string;
  readonly storage_opt?: StringMap;
  readonly extensions?: Extensions; // service-level x-*
}
