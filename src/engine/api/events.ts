// Typed events of an environment for test reporters: containers started, healthy or unhealthy,
// exited, and their log lines. They come from the state root's event journal (the shim writes start
// and die, the supervisor health changes) and from the log files; each is followed only while
// someone listens, and every follower stops when the environment goes down.
import type { LogLine } from './types.ts';

/** What every container event says: which service, which container, when. */
export interface ContainerFacts {
  readonly service: string;
  /** The container's name. */
  readonly container: string;
  readonly time: Date;
}

/** Something that happened to the environment's containers. */
export type EnvironmentEvent =
  | ({ readonly kind: 'container-started' } & ContainerFacts)
  | ({ readonly kind: 'container-healthy' } & ContainerFacts)
  | ({ readonly kind: 'container-unhealthy' } & ContainerFacts)
  | ({ readonly kind: 'container-exited'; readonly exitCode: number } & ContainerFacts)
  | ({ readonly kind: 'log' } & LogLine);

/** The kinds of {@link EnvironmentEvent}. */
export type EnvironmentEventKind = EnvironmentEvent['kind'];

/** The event of one kind. */
export type EnvironmentEventOf<K extends EnvironmentEventKind> = Extract<EnvironmentEvent, { readonly kind: K }>;

/** Where events come from: followers that run until their signal aborts. */
export interface EventSources {
  followContainers(since: number, signal: AbortSignal, on: (e: EnvironmentEvent) => void): Promise<void>;
  followLogs(since: number, signal: AbortSignal, on: (e: EnvironmentEvent) => void): Promise<void>;
}

/** A journal action as an event kind (Docker's action words). */
export function journalKind(action: string): Exclude<EnvironmentEventKind, 'log'> | undefined {
  if (action === 'start') return 'container-started';
  if (action === 'die') return 'container-exited';
  if (action === 'health_status: healthy') return 'container-healthy';
  if (action === 'health_status: unhealthy') return 'container-unhealthy';
  return undefined;
}

type Listener = (e: EnvironmentEvent) => void;

export class EventHub {
  readonly #sources: EventSources;
  readonly #since: number;
  readonly #listeners = new Set<{ kind: EnvironmentEventKind | undefined; fn: Listener }>();
  readonly #stop = new AbortController();
  #containers: Promise<void> | undefined;
  #logs: Promise<void> | undefined;

  constructor(sources: EventSources, since: number) {
    this.#sources = sources;
    this.#since = since;
  }

  /** kind undefined: every kind. Returns the function that unsubscribes. */
  on(kind: EnvironmentEventKind | undefined, fn: Listener): () => void {
    const entry = { kind, fn };
    this.#listeners.add(entry);
    this.#follow(kind);
    return () => this.#listeners.delete(entry);
  }

  /** Every event from now (and those since the environment's start not yet seen) until signal or close. */
  async *stream(signal?: AbortSignal): AsyncGenerator<EnvironmentEvent> {
    const queue: EnvironmentEvent[] = [];
    let wake: (() => void) | undefined;
    const off = this.on(undefined, (e) => {
      queue.push(e);
      wake?.();
    });
    const stopped = (): boolean => this.#stop.signal.aborted || signal?.aborted === true;
    const onStop = (): void => wake?.();
    this.#stop.signal.addEventListener('abort', onStop);
    signal?.addEventListener('abort', onStop);
    try {
      for (;;) {
        const next = queue.shift();
        if (next) yield next;
        else if (stopped()) return;
        else await new Promise<void>((r) => (wake = r));
      }
    } finally {
      off();
      this.#stop.signal.removeEventListener('abort', onStop);
      signal?.removeEventListener('abort', onStop);
    }
  }

  /** Stops the followers (the environment went down); waits until they did. */
  async close(): Promise<void> {
    this.#stop.abort();
    await Promise.all([this.#containers, this.#logs]);
  }

  #emit(e: EnvironmentEvent): void {
    for (const l of [...this.#listeners])
      if (l.kind === undefined || l.kind === e.kind) {
        try {
          l.fn(e);
        } catch {
          // A listener's failure is its own: the other listeners and the follower go on.
        }
      }
  }

  #follow(kind: EnvironmentEventKind | undefined): void {
    if (this.#stop.signal.aborted) return;
    const quiet = (): undefined => undefined;
    if (kind !== 'log' && !this.#containers)
      this.#containers = this.#sources
        .followContainers(this.#since, this.#stop.signal, (e) => this.#emit(e))
        .catch(quiet);
    if ((kind === 'log' || kind === undefined) && !this.#logs)
      this.#logs = this.#sources.followLogs(this.#since, this.#stop.signal, (e) => this.#emit(e)).catch(quiet);
  }
}
