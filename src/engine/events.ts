// Typed progress events of the engine; the CLI renders them (plain lines, listr2 or JSON).

/** What a container became after it started, as `up --wait` and depends_on conditions see it. */
export type ContainerReadiness = 'waiting' | 'healthy' | 'unhealthy' | 'exited';

/** A build step (one layer instruction) of a service: its id is unique within the service's build. */
export type BuildStepState = 'started' | 'cached' | 'done';

/** Progress of an engine command: a plan step started, done or failed, a pull, a wait, a warning. */
export type EngineEvent =
  | { readonly kind: 'op-start'; readonly op: string; readonly target: string; readonly cause: string }
  | { readonly kind: 'op-done'; readonly op: string; readonly target: string; readonly ms: number }
  | { readonly kind: 'op-failed'; readonly op: string; readonly target: string; readonly error: string }
  | { readonly kind: 'pull'; readonly service: string; readonly image: string }
  | { readonly kind: 'waiting'; readonly service: string; readonly dependency: string; readonly condition: string }
  | {
      readonly kind: 'container-state';
      readonly target: string;
      readonly service: string;
      readonly state: ContainerReadiness;
    }
  | {
      readonly kind: 'build-step';
      readonly service: string;
      readonly step: number;
      readonly label: string;
      readonly state: BuildStepState;
      readonly ms: number;
    }
  | { readonly kind: 'build-output'; readonly service: string; readonly step: number; readonly line: string }
  | { readonly kind: 'warning'; readonly message: string };

/** Where engine events go. */
export type EventSink = (e: EngineEvent) => void;
