// The engine's public surface: the Project API, its request types and events.
export { openProject, type ProjectHandle, type EngineOptions } from './project.ts';
export type { UpRequest } from './up.ts';
export type { DownRequest } from './down.ts';
export type { PsEntry, Publisher } from './ps.ts';
export type { EngineEvent, EventSink } from './events.ts';
export type { ContainerRef } from './project.ts';
export type { ImageRow } from './images.ts';
export type { EventsRequest, ProjectEvent } from './container-events.ts';
export type { ProjectRow } from './ls.ts';
export type { StatsRequest, StatsSample } from './stats.ts';
export type { CpRequest } from './cp.ts';
export { listProjects } from './ls.ts';
export type { LifecycleRequest, RestartRequest, KillRequest, RmRequest } from './lifecycle.ts';
export type { TopEntry } from './top.ts';
export type { PortRequest } from './port.ts';
export { markProjectContainerStopped } from './user-stopped.ts';
