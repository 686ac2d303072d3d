// The engine's public surface: the Project API, its request types and events.
export { openProject } from './project.ts';
export type { BuildServicesOptions } from './commands/build-images.ts';
export type { ProjectHandle, EngineOptions, ContainerRef } from './project-handle.ts';
export type { UpRequest } from './commands/up.ts';
export type { DownRequest } from './commands/down.ts';
export type { PsEntry, Publisher } from './commands/ps.ts';
export type { EngineEvent, EventSink, ContainerReadiness, BuildStepState } from './events.ts';
export type { ImageRow } from './commands/images.ts';
export type { EventsRequest, ProjectEvent } from './commands/container-events.ts';
export type { ProjectRow } from './commands/ls.ts';
export type { StatsRequest, StatsSample } from './commands/stats.ts';
export type { LogLineOut } from './commands/stream-logs.ts';
export { parseTailArg, parseTimeArg } from './commands/log-merge.ts';
export { openVolumes, type Volumes, type VolumeRow } from './commands/volume-admin.ts';
export { hostProbe, runDoctor, type DoctorCheck, type DoctorReport } from './doctor/index.ts';
export type { CpRequest } from './commands/cp.ts';
export { listProjects } from './commands/ls.ts';
export type { LifecycleRequest, RestartRequest, KillRequest, RmRequest } from './commands/lifecycle.ts';
export type { TopEntry } from './commands/top.ts';
export type { PortRequest } from './commands/published-port.ts';
export { markProjectContainerStopped } from './supervision/user-stopped.ts';
export type { ExecRequest } from './commands/exec.ts';
export type { RunRequest, RunResult } from './commands/run.ts';
export { oneOffName } from './oneoff-name.ts';
export type { SyncRequest, ExecOutput } from './commands/develop.ts';
export { contextIgnore, patternMatcher } from './commands/develop.ts';
export type { AttachRequest, AttachEvent } from './commands/attach.ts';
export {
  openProjectByName,
  listProjectRows,
  removeOneOffByName,
  type NamedProjectHandle,
  type LogsRequest,
} from './by-name.ts';
export {
  loadProject,
  projectNamesOf,
  openProjectFrom,
  openProjectOrState,
  openProjectRecorded,
  runFlagParsers,
  planText,
  type LoadOptions,
  type Project,
  type ServiceConfig,
  type Plan,
} from './model.ts';
export {
  openContainers,
  type Containers,
  type ContainerRunRequest,
  type ContainerExecRequest,
} from './commands/containers.ts';
export type { ContainerRunFlags } from './translate/container-spec.ts';
export {
  hostImageStore,
  buildHostImage,
  familiarImageName,
  hostNetworks,
  collectKilledHostBuilds,
  releaseHostPools,
  type ArchiveSource,
  type ImageStore,
  type LocalImage,
  type ImageConfig,
  type ImageHealthcheck,
  type PullProgress,
  type BuildProgress,
} from './commands/host-stores.ts';
export type { ContainerState, LogLine } from '../runtime/index.ts';
export {
  prepareRunNetwork,
  removeRunContainer,
  portLines,
  DEFAULT_NETWORK,
  type RunNetwork,
  type RunNetworkRequest,
} from './ops/run-network.ts';
export type { PushedService, PushServicesOptions } from './commands/push-images.ts';
export type { PushProgress, PushResult } from '../image/index.ts';
export type { BuildSecret } from '../build/index.ts';
export { pruneHostBuildCache } from './commands/host-stores.ts';
export { importChanges } from './commands/import-changes.ts';
