// The public Node API of gantry: what library users import. Nothing else is exported.
import './engine/api/async-dispose.ts';
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
  ExecOutput,
  PushedService,
  PushServicesOptions,
  RunRequest,
  RunResult,
  TopEntry,
  AttachRequest,
  AttachEvent,
  CpRequest,
  EventsRequest,
  ProjectEvent,
  ExecRequest,
  LifecycleRequest,
  RestartRequest,
  KillRequest,
  RmRequest,
  PortRequest,
  StatsRequest,
  StatsSample,
  SyncRequest,
} from './engine/index.ts';
export type {
  BuildServicesOptions,
  ContainerReadiness,
  BuildStepState,
  LocalImage,
  ImageConfig,
  ImageHealthcheck,
} from './engine/index.ts';
export type { SyncRecord } from './common/in-root-sync.ts';
export type { LogLine as ContainerLogLine } from './runtime/index.ts';
export type { PushProgress } from './image/index.ts';
export type { Plan, PlanOp, OpKind, PlannedPort } from './plan/index.ts';
export { startWatch } from './watch/index.ts';
export type { WatchOptions, WatchSession, WatchEvent, WatchPhase } from './watch/index.ts';
export {
  compose,
  wait,
  Logs,
  DEFAULT_WAIT_MS,
  type ComposeStack,
  type Environment,
  type ServiceHandle,
  type WaitStrategy,
  type WaitTarget,
  type Probe,
  type EnvironmentEvent,
  type EnvironmentEventKind,
  type EnvironmentEventOf,
  type ContainerFacts,
  type ComposeOptions,
  type UpOptions,
  type HostPort,
  type PortOptions,
  type ExecOptions,
  type ExecResult,
  type LogsOptions,
  type LogLine,
  type DownOptions,
} from './engine/api/index.ts';
