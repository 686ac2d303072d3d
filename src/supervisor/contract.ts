// The contract between the engine core (`up`/`down`, which create and remove containers) and the
// per-project supervisor (a detached gantry process that keeps a running project alive: health
// checks, restart policies, service DNS, published-port proxies). They share no memory: the
// engine writes the supervision set atomically, then asks the supervisor to reload; the
// supervisor writes one health file per container. Either side can die (kill -9) and the next
// gantry command on the project re-adopts from these files.
//
// Files, under `<stateDirs(root).projects>/<project>/`:
//   supervision.json        SupervisionSet, written by the engine (temp file + rename)
//   supervisor.pid          "<pid> <start-time>" of the live supervisor (pid reuse safe)
//   health/<container>.json HealthState, written by the supervisor
//   supervisor.log          the supervisor's own diagnostics

/** Durations in milliseconds, as in the project model. */
export interface SupervisedHealthcheck {
  /** ["CMD", ...] or ["CMD-SHELL", "cmd"]; NONE/disabled means no healthcheck at all. */
  readonly test: readonly string[];
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly startPeriodMs: number;
  readonly startIntervalMs: number;
}

export type RestartPolicy =
  | { readonly kind: 'no' }
  | { readonly kind: 'always' }
  | { readonly kind: 'unless-stopped' }
  | { readonly kind: 'on-failure'; readonly maxRetries?: number };

export interface SupervisedEndpoint {
  /** Network manager id of the network (e.g. `<project>_default`). */
  readonly networkId: string;
  readonly address: string; // IPv4 of the container on that network
  /** DNS names on this network: service name, container name, aliases (not yet qualified). */
  readonly names: readonly string[];
}

export interface SupervisedPort {
  readonly hostIp: string; // '' or '0.0.0.0' = all host addresses
  readonly hostPort: number; // the port actually bound (a random one already chosen by `up`)
  readonly containerPort: number;
  readonly protocol: 'tcp' | 'udp';
}

/** The container label holding its own SupervisedContainer as created: per-instance truth. */
export const SUPERVISION_LABEL = 'io.gantry.supervision';

export interface SupervisedContainer {
  /** Runtime container id = container name `<project>-<service>-<number>`. */
  readonly id: string;
  readonly service: string;
  readonly number: number;
  readonly healthcheck?: SupervisedHealthcheck;
  readonly restart: RestartPolicy;
  readonly endpoints: readonly SupervisedEndpoint[];
  readonly ports: readonly SupervisedPort[];
  /** compose `dns`: where the responder forwards this container's other names (Docker's rule). */
  readonly dns?: readonly string[];
  /** compose `links` aliases → the linked service: names only this container resolves (Docker). */
  readonly links?: Readonly<Record<string, string>>;
  /** Set by `stop`/`down`: the supervisor must not restart it (unless-stopped semantics too). */
  readonly stoppedByUser?: boolean;
}

/** The SupervisedContainer a container was created with, read back from its label. */
export function supervisedOf(labels: Readonly<Record<string, string>>): SupervisedContainer | undefined {
  const text = labels[SUPERVISION_LABEL];
  return text ? (JSON.parse(text) as SupervisedContainer) : undefined;
}

export interface SupervisedNetwork {
  readonly networkId: string;
  /** Where this network's DNS responder listens (the bridge gateway), port 53 UDP+TCP. */
  readonly dnsAddress: string;
  /** The network's subnet: its responder answers only sources inside it (absent: older sets). */
  readonly subnet?: string;
  readonly internal: boolean;
}

export interface SupervisionSet {
  readonly project: string;
  /** Bumped on every write, so the supervisor can tell a reload from a stale signal. */
  readonly generation: number;
  readonly networks: readonly SupervisedNetwork[];
  readonly containers: readonly SupervisedContainer[];
  /** Resolvers for names outside the project (default: the host's /etc/resolv.conf). */
  readonly upstreamDns?: readonly string[];
  /**
   * Ports are held only while their container runs (docker run's rule, for `container run`, whose
   * containers never start again); absent: held while the container is in the set (compose).
   */
  readonly portsWhileRunning?: boolean;
}

export type HealthStatus = 'starting' | 'healthy' | 'unhealthy';

export interface HealthProbe {
  readonly start: string; // ISO time
  readonly end: string;
  readonly exitCode: number; // -1 for a timeout
  readonly output: string; // last 4 KiB
}

export interface HealthState {
  readonly status: HealthStatus;
  readonly failingStreak: number;
  readonly log: readonly HealthProbe[]; // last 5
  /** Times the supervisor restarted the container under its restart policy. */
  readonly restartCount: number;
  /** The instance this is about (its `created`): a successor under the same name starts afresh. */
  readonly instance?: string;
}
