// Everything one engine command works with: the project, the areas below it, the project's
// state dir and the inputs resolved before its plan was made (images, the oneoff a `run` makes;
// the chosen host ports travel in the plan's ops). A command sets those once, in a new context,
// before it plans; ops only read them.
import type { Project } from '../project/model.ts';
import type { Runtime } from '../runtime/index.ts';
import type { NetworkManager } from '../network/index.ts';
import type { ImageStore, LocalImage } from '../image/index.ts';
import type { EventSink } from './events.ts';
import type { ServiceConfig } from '../project/model.ts';
import type { ShimHandle, StartOptions } from '../runtime/index.ts';

/** The oneoff of a `run`, resolved before planning. */
export interface OneOffRun {
  readonly name: string;
  /** The service with the run's flags applied (run-service.ts). */
  readonly svc: ServiceConfig;
  /** It takes the service's DNS names (run --use-aliases), else its name only. */
  readonly useAliases: boolean;
  readonly start: StartOptions;
  /** Told the shim once started (attached run waits on it), or the exit code of a program that could not start. */
  readonly started: (r: { shim?: ShimHandle; failed?: { exitCode: number; message: string } }) => void;
}

export interface EngineContext {
  readonly root: string;
  readonly project: Project;
  readonly runtime: Runtime;
  readonly nets: NetworkManager;
  readonly images: ImageStore;
  readonly projectDir: string;
  readonly emit: EventSink;
  /** Per service, resolved before planning. */
  readonly imageOf: ReadonlyMap<string, LocalImage>;
  /** `run`: the oneoff the plan's oneOff ops make and start. */
  readonly oneOff?: OneOffRun;
  /** How long a depends_on condition may take. */
  readonly waitTimeoutMs: number;
  readonly stopTimeoutMs?: number;
  /** up --no-deps: start without waiting for depends_on conditions. */
  readonly noDeps?: boolean;
}

export { ENGINE_LABELS } from './labels.ts';
