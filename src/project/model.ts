// The normalized project: what every later stage (plan, engine, kube export) reads, and nothing
// else. Keys keep the Compose words (snake_case) so a model reads like the long-syntax compose
// file it came from. Units: durations are MILLISECONDS (numbers, may be fractional below 1 ms),
// byte sizes are BYTES, cpus are numbers of cores. Every type is readonly; no field is `any`.

import type { Extensions, FileObjectConfig, NetworkConfig, StringMap, VolumeConfig } from './model-resources.ts';

export type * from './model-resources.ts';

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

/** A tmpfs entry of a service: TARGET[:size=BYTES,mode=OCTAL], parsed. */
export interface TmpfsMount {
  readonly target: string;
  readonly size?: number;
  readonly mode?: number; // e.g. 0o1777
}

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

/** A host device node given to the container; `cdi`: a CDI name, refused at `up`. */
export interface DeviceMapping {
  readonly source: string;
  readonly target: string;
  readonly permissions: string; // letters of r, w, m
  readonly cdi?: boolean;
}

/** `logging` as written; json-file/local max-size and max-file already checked. */
export interface LoggingConfig {
  readonly driver?: string;
  readonly options?: Readonly<Record<string, string>>;
}

/** One `env_file` entry: its path and whether it must exist. */
export interface EnvFileRef {
  readonly path: string; // absolute
  readonly required: boolean;
  readonly format?: string;
}

/** What `develop.watch` does with a changed path. */
export type WatchAction = 'sync' | 'rebuild' | 'restart' | 'sync+restart' | 'sync+exec';

/** One `develop.watch` rule; `path` absolute, `ignore`/`include` dockerignore patterns relative to it. */
export interface WatchRule {
  readonly path: string;
  readonly action: WatchAction;
  readonly target?: string;
  readonly ignore: readonly string[];
  readonly include?: readonly string[];
  readonly initial_sync: boolean;
  readonly exec?: WatchExec;
}

/** The command `sync+exec` runs after a sync. */
export interface WatchExec {
  readonly command: readonly string[];
  readonly user?: string;
  readonly working_dir?: string;
  readonly environment: Readonly<Record<string, string | null>>;
  readonly privileged?: boolean;
}

/** A service's `develop` section (`gantry watch`). */
export interface DevelopConfig {
  readonly watch: readonly WatchRule[];
}

/** A service's `build` section in long form. */
export interface BuildConfig {
  readonly context: string; // absolute path, or a URL / git remote as written
  readonly dockerfile?: string;
  readonly args?: Readonly<Record<string, string | null>>;
  readonly dockerfile_inline?: string;
  readonly target?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly tags?: readonly string[];
  readonly no_cache?: boolean;
  /** RUN steps' network: default, none or host (BuildKit knows no other). */
  readonly network?: string;
  readonly extra_hosts?: readonly ExtraHost[];
  readonly shm_size?: number; // bytes
  readonly secrets?: readonly ServiceFileRef[];
  /** Only local forms (type=local) are accepted: the build cache is the state root's. */
  readonly cache_from?: readonly string[];
  readonly cache_to?: readonly string[];
  readonly pull?: boolean;
  readonly platforms?: readonly string[];
  readonly privileged?: boolean;
  readonly ulimits?: Readonly<Record<string, Ulimit>>;
}

/** One published port in long form (`target`, `published`, `host_ip`, `protocol`). */
export interface ServicePortConfig {
  readonly target: number;
  /** Host port or range (`8000-8010`); absent when the engine picks one. */
  readonly published?: string;
  readonly host_ip?: string;
  readonly protocol: 'tcp' | 'udp' | 'sctp';
  readonly mode: 'ingress' | 'host';
  readonly app_protocol?: string;
  readonly name?: string;
}

/** The kinds of mount a service volume can be. */
export type VolumeType = 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';

/** One mount of a service in long form. */
export interface ServiceVolumeConfig {
  readonly type: VolumeType;
  readonly source?: string; // absolute for bind
  readonly target: string;
  readonly read_only?: boolean;
  readonly consistency?: string;
  readonly bind?: { readonly propagation?: string; readonly create_host_path?: boolean; readonly selinux?: 'z' | 'Z' };
  readonly volume?: { readonly nocopy?: boolean; readonly subpath?: string };
  readonly tmpfs?: { readonly size?: number; readonly mode?: number };
  readonly image?: { readonly subpath?: string };
}

/** When a dependency counts as ready. */
export type DependsOnCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';
/** One `depends_on` entry in long form. */
export interface DependsOn {
  readonly condition: DependsOnCondition;
  readonly required: boolean;
  readonly restart: boolean;
}

/** A service's healthcheck, durations in ms. */
export interface HealthCheck {
  /** ["CMD", …], ["CMD-SHELL", "…"] or ["NONE"]; absent: the image's test. */
  readonly test?: readonly string[];
  readonly interval?: number; // ms
  readonly timeout?: number; // ms
  readonly start_period?: number; // ms
  readonly start_interval?: number; // ms
  readonly retries?: number;
  readonly disable?: boolean;
}

/** A network a service joins, with its aliases and addresses. */
export interface ServiceNetwork {
  readonly aliases?: readonly string[];
  readonly ipv4_address?: string;
  readonly ipv6_address?: string;
  readonly link_local_ips?: readonly string[];
  readonly interface_name?: string;
  readonly mac_address?: string;
  readonly priority?: number;
  readonly gw_priority?: number;
  readonly driver_opts?: StringMap;
}

/** A secret or config a service mounts. */
export interface ServiceFileRef {
  readonly source: string;
  readonly target: string; // secrets: /run/secrets/<source> by default; configs: /<source>
  readonly uid?: string;
  readonly gid?: string;
  readonly mode?: number;
}

/** One `ulimits` entry. */
export interface Ulimit {
  readonly soft: number;
  readonly hard: number;
}

/** One `extra_hosts` entry. */
export interface ExtraHost {
  readonly host: string;
  readonly ip: string;
}

/** `deploy.resources` limits or reservations. */
export interface ResourceLimits {
  readonly cpus?: number;
  readonly memory?: number; // bytes
  readonly pids?: number;
}

/** A service's `deploy` section (replicas, resources, restart policy). */
export interface DeployConfig {
  readonly mode?: 'replicated' | 'global';
  readonly replicas?: number; // `scale` lands here
  readonly labels?: StringMap;
  readonly resources?: { readonly limits?: ResourceLimits; readonly reservations?: Omit<ResourceLimits, 'pids'> };
}
