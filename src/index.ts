// The public Node API of gantry: what library users import. Nothing else is exported.
export {
  ConfigError,
  UsageError,
  UnsupportedError,
  RuntimeError,
  InternalError,
  GantryError,
} from './common/errors.ts';
export type { SourcePosition } from './common/errors.ts';
export { loadProject } from './project/index.ts';
export type { LoadOptions } from './project/index.ts';
export type * from './project/model.ts';
export { openProject } from './engine/index.ts';
export type {
  ProjectHandle,
  EngineOptions,
  UpRequest,
  DownRequest,
  PsEntry,
  Publisher,
  EngineEvent,
  EventSink,
  ContainerRef,
  ImageRow,
} from './engine/index.ts';
export type { Plan, PlanOp, OpKind } from './plan/index.ts';
export { startWatch } from './watch/index.ts';
export type { WatchOptions, WatchSession, WatchEvent } from './watch/index.ts';
