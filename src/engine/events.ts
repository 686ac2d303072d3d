// Typed progress events of the engine; the CLI renders them (plain lines, listr2 or JSON).

/** Progress of an engine command: a plan step started, done or failed, a pull, a wait, a warning. */
export type EngineEvent =
  | { readonly kind: 'op-start'; readonly op: string; readonly target: string; readonly cause: string }
  | { readonly kind: 'op-done'; readonly op: string; readonly target: string; readonly ms: number }
  | { readonly kind: 'op-failed'; readonly op: string; readonly target: string; readonly error: string }
  | { readonly kind: 'pull'; readonly service: string; readonly image: string }
  | { readonly kind: 'waiting'; readonly service: string; readonly dependency: string; readonly condition: string }
  | { readonly kind: 'warning'; readonly message: string };

/** Where engine events go. */
export type EventSink = (e: EngineEvent) => void;
