// The engine's public surface: the Project API, its request types and events.
export { openProject, type ProjectHandle, type EngineOptions } from './project.ts';
export type { UpRequest } from './up.ts';
export type { DownRequest } from './down.ts';
export type { PsEntry, Publisher } from './ps.ts';
export type { EngineEvent, EventSink } from './events.ts';
export type { ContainerRef } from './project.ts';
export type { ImageRow } from './images.ts';
export type { ExecRequest } from './exec.ts';
export type { RunRequest, RunResult } from './run.ts';
export { oneOffName } from './oneoff-name.ts';
