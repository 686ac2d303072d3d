// The parts of a service in the model: devices, logging, env files, develop/watch, build, ports,
// volumes, depends_on, healthcheck, networks, secrets/configs references, ulimits, extra hosts and
// deploy. Same units and rules as model.ts, which re-exports them.
import type { StringMap } from './model-resources.ts';

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
  /** NAME → an absolute directory, `service:NAME`, `docker-image://REF` (or a URL, refused at build). */
  readonly additional_contexts?: Readonly<Record<string, string>>;
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
