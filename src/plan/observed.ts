// What exists on the host for one project, as the planner sees it: containers found by their
// labels, networks and volumes by id. A type only; engine/observe.ts fills it in.

export type ObservedStatus = 'created' | 'running' | 'exited';

export interface ObservedContainer {
  readonly name: string; // `<project>-<service>-<N>`, also the runtime id
  readonly service: string;
  readonly number: number;
  readonly configHash: string;
  readonly imageId: string;
  readonly oneOff: boolean;
  readonly status: ObservedStatus;
  /** A frozen container: status stays running (up leaves it alone), pause/unpause read this. */
  readonly paused?: boolean;
  readonly exitCode?: number;
}

export interface Observed {
  readonly containers: readonly ObservedContainer[];
  readonly networks: readonly string[]; // network ids that exist
  readonly volumes: readonly string[]; // volume names that exist
}

/** Label keys the engine writes on every container (and reads back into ObservedContainer). */
export const LABELS = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  number: 'com.docker.compose.container-number',
  configHash: 'com.docker.compose.config-hash',
  image: 'io.gantry.image-id',
  oneOff: 'com.docker.compose.oneoff',
  configFiles: 'com.docker.compose.project.config_files',
  workingDir: 'com.docker.compose.project.working_dir',
} as const;
