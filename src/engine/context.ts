// Everything one engine command works with: the project, the areas below it, the project's
// state dir and what this command learned along the way (images, networks, chosen ports).
import type { Project } from '../project/model.ts';
import type { Runtime } from '../runtime/index.ts';
import type { NetworkInfo, NetworkManager } from '../network/index.ts';
import type { ImageStore, LocalImage } from '../image/index.ts';
import type { EventSink } from './events.ts';
import type { SupervisedPort } from './supervision.ts';

export interface EngineContext {
  readonly root: string;
  readonly project: Project;
  readonly runtime: Runtime;
  readonly nets: NetworkManager;
  readonly images: ImageStore;
  readonly projectDir: string;
  readonly emit: EventSink;
  /** Per service, resolved before planning. */
  readonly imageOf: Map<string, LocalImage>;
  readonly networkInfo: Map<string, NetworkInfo>;
  /** Per container name, the host ports fixed before anything started. */
  readonly ports: Map<string, readonly SupervisedPort[]>;
  /** How long a depends_on condition may take. */
  readonly waitTimeoutMs: number;
  readonly stopTimeoutMs?: number;
  /** up --no-deps: start without waiting for depends_on conditions. */
  readonly noDeps?: boolean;
}

export { ENGINE_LABELS } from './labels.ts';
