// The Node API's shape: what `openProject(model)` returns (every verb the CLI needs, each resolving
// with what it did), its options, and the container references attached `up` and `logs` read.
import type { Project } from '../project/model.ts';
import type { Plan } from '../plan/index.ts';
import type { EventSink } from './events.ts';
import type { UpRequest } from './commands/up.ts';
import type { BuildServicesOptions } from './commands/build-images.ts';
import type { PushedService, PushServicesOptions } from './commands/push-images.ts';
import type { DownRequest } from './commands/down.ts';
import type { PsEntry } from './commands/ps.ts';
import type { ImageRow } from './commands/images.ts';
import type { EventsRequest } from './commands/container-events.ts';
import type { StatsRequest } from './commands/stats.ts';
import type { CpRequest } from './commands/cp.ts';
import type { KillRequest, LifecycleRequest, RestartRequest, RmRequest } from './commands/lifecycle.ts';
import type { TopEntry } from './commands/top.ts';
import type { PortRequest } from './commands/published-port.ts';
import type { ExecRequest } from './commands/exec.ts';
import type { RunRequest, RunResult } from './commands/run.ts';
import type { ExecOutput, SyncRequest } from './commands/develop.ts';
import type { AttachRequest } from './commands/attach.ts';

/** Where the engine keeps its state, where its events go, and its timeouts. */
export interface EngineOptions {
  readonly root?: string;
  readonly emit?: EventSink;
  readonly waitTimeoutMs?: number;
  readonly stopTimeoutMs?: number;
}

/** The engine's verbs on one project (`gantry up`, `down`, `ps`...); `await using` takes it down. */
export interface ProjectHandle extends AsyncDisposable {
  readonly project: Project;
  /** `gantry up -d`: resolves with the plan it carried out. */
  up(req?: UpRequest): Promise<Plan>;
  /** `gantry down`: resolves with the plan it carried out. */
  down(req?: DownRequest): Promise<Plan>;
  /** oneOffs: `run` containers too (ps -a). */
  ps(o?: { oneOffs?: boolean }): Promise<readonly PsEntry[]>;
  /** `gantry pull`: the services' images (all when none named). */
  pull(services?: readonly string[], o?: { ignoreFailures?: boolean; signal?: AbortSignal }): Promise<void>;
  /** `gantry build`: builds the services that have a build section (all when none named). */
  build(services?: readonly string[], o?: BuildServicesOptions): Promise<readonly { service: string; id: string }[]>;
  /** `gantry push`: the images of the services with `build:` and `image:` (all when none named). */
  push(services?: readonly string[], o?: PushServicesOptions): Promise<readonly PushedService[]>;
  /** `gantry images`: the images the project's containers use. */
  images(): Promise<readonly ImageRow[]>;
  // Each lifecycle verb resolves with the plan it ran (with dryRun: ran nothing).
  /** Stops the services' running containers (dependents first), marked stopped by the user; removes nothing. */
  stop(req?: LifecycleRequest): Promise<Plan>;
  /** Starts the services' existing stopped containers (dependencies first). */
  start(req?: LifecycleRequest): Promise<Plan>;
  /** Restarts the services' containers. */
  restart(req?: RestartRequest): Promise<Plan>;
  /** Sends a signal (default SIGKILL) to the services' containers. */
  kill(req?: KillRequest): Promise<Plan>;
  /** Removes stopped containers (its `remove` ops name them; none when the confirmation said no). */
  rm(req?: RmRequest): Promise<Plan>;
  /** Freezes the services' containers. */
  pause(req?: LifecycleRequest): Promise<Plan>;
  /** Thaws the services' paused containers. */
  unpause(req?: LifecycleRequest): Promise<Plan>;
  /** The processes of the services' running containers. */
  top(services?: readonly string[]): Promise<readonly TopEntry[]>;
  /** Blocks until the first container of the services stops (no lock held); its exit code. */
  wait(services: readonly string[], o?: { signal?: AbortSignal }): Promise<{ name: string; exitCode: number }>;
  /** `HOST:PORT` a container port is published on. */
  port(service: string, privatePort: number, req?: PortRequest): Promise<string>;
  /** Attached `up`'s loop over the started project: log lines and exits as events; resolves to the exit code. */
  attach(req: AttachRequest): Promise<number>;
  /** The project's containers with their log files (attached `up`, logs); not `run`'s oneoffs. */
  containers(): Promise<readonly ContainerRef[]>;
  /** Follows the project's container events from the state root's journal (see container-events.ts). */
  events(req: EventsRequest): Promise<void>;
  /** Samples the project's containers' cgroup and network counters (see stats.ts). */
  stats(req: StatsRequest): Promise<void>;
  /** Copies between a service's running container and the host (see cp.ts). */
  cp(req: CpRequest): Promise<void>;
  /** A command in a service's running container, on our stdio; resolves to its exit code (0 once started with detach). */
  exec(req: ExecRequest): Promise<number>;
  /**
   * A command in one running replica of a service (req.index, default 1) with its output captured, not
   * streamed: exit code, stdout and stderr (the last 4 MiB of each). `input` goes to its stdin.
   */
  execCaptured(req: ExecRequest & { readonly input?: string; readonly timeoutMs?: number }): Promise<ExecOutput>;
  /** watch's sync: files into every running replica of a service (see develop.ts); how many got them. */
  sync(req: SyncRequest): Promise<number>;
  /** A command in every running replica of a service, its output kept (watch's sync+exec). */
  execCollected(req: ExecRequest): Promise<readonly ExecOutput[]>;
  /** Removes image layers and blobs no image uses any more (watch --prune after a rebuild). */
  pruneImages(): Promise<{ removedLayers: number; bytes: number }>;
  /** A oneoff container of a service; attached on our stdio unless detach. */
  run(req: RunRequest): Promise<RunResult>;
  /** Removes a oneoff with its networking (run --rm -d, once it exited). */
  removeOneOff(name: string): Promise<void>;
}

/** A container of the project with its log file. */
export interface ContainerRef {
  readonly name: string;
  readonly service: string;
  readonly status: 'created' | 'running' | 'exited';
  readonly exitCode?: number; // when exited
  readonly logPath: string;
}
