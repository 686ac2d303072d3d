// The Node API for test environments: `compose(...).up()` → an Environment of services, with wait
// strategies, captured exec, logs, typed events and a reaper. Exported from the package root.
export { compose, type ComposeStack } from './compose.ts';
export type { Environment } from './environment.ts';
export type { ServiceHandle } from './service.ts';
export { Logs } from './log-reader.ts';
export { wait, DEFAULT_WAIT_MS, type WaitStrategy, type WaitTarget, type Probe } from './wait-strategies.ts';
export type { EnvironmentEvent, EnvironmentEventKind, EnvironmentEventOf, ContainerFacts } from './events.ts';
export type {
  ComposeOptions,
  UpOptions,
  HostPort,
  PortOptions,
  ExecOptions,
  ExecResult,
  LogsOptions,
  LogLine,
  DownOptions,
} from './types.ts';
