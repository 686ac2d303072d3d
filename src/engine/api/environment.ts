// A running environment: the services of one project brought up by `compose(...).up()`, its typed
// events, and its end (down, or `await using`'s disposal), which also tells the reaper to stand down.
import { UsageError } from '../../common/errors.ts';
import { openProjectByName } from '../by-name.ts';
import type { ProjectHandle } from '../project-handle.ts';
import type { PsEntry } from '../commands/ps.ts';
import type { Project } from '../../project/model.ts';
import type { Runtime } from '../../runtime/index.ts';
import './async-dispose.ts';
import {
  EventHub,
  journalKind,
  type EnvironmentEvent,
  type EnvironmentEventKind,
  type EnvironmentEventOf,
  type EventSources,
} from './events.ts';
import { toLogLine, type ReadLogs } from './log-reader.ts';
import type { Reaper } from './reaper.ts';
import { serviceHandle, type ServiceHandle } from './service.ts';
import type { DownOptions } from './types.ts';

/**
 * The services of a project, up. Made by {@link ComposeStack.up}; taken down by {@link Environment.down}
 * or by disposal (`await using env = await compose(...).up()`), which removes its volumes too.
 */
export interface Environment extends AsyncDisposable {
  /** The project name (unique per environment unless {@link ComposeOptions.projectName} was given). */
  readonly projectName: string;
  /** The loaded, normalized project model. */
  readonly project: Project;
  /** A service of the project; throws a UsageError for a name the project does not have. */
  service(name: string): ServiceHandle;
  /** The project's containers (`gantry ps -a`). */
  ps(): Promise<readonly PsEntry[]>;
  /**
   * Calls `listener` for each event of this kind (from the start of `up`); returns the function that
   * unsubscribes. Log lines are read only while a `log` listener exists.
   */
  on<K extends EnvironmentEventKind>(kind: K, listener: (e: EnvironmentEventOf<K>) => void): () => void;
  /** Every event (log lines included) as an async iterable, until `signal` aborts or the environment is down. */
  events(o?: { signal?: AbortSignal }): AsyncIterable<EnvironmentEvent>;
  /** Stops and removes the containers and networks (`gantry down`; with `volumes`, its volumes). */
  down(o?: DownOptions): Promise<void>;
  /** `down({ volumes: true })`: what `await using` calls. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** What an environment is made of (compose.ts makes one). */
export interface EnvironmentParts {
  readonly handle: ProjectHandle;
  readonly root: string;
  readonly since: number;
  readonly reaper: Reaper | undefined;
  readonly hub: EventHub;
}

/** The event followers of a project. */
export function eventSources(handle: ProjectHandle, root: string): EventSources {
  return {
    followContainers: (since, signal, on) =>
      handle.events({
        since,
        signal,
        onEvent(e) {
          const kind = journalKind(e.action);
          if (!kind) return;
          const base = { service: e.service, container: e.id, time: new Date(e.time) };
          if (kind === 'container-exited') on({ kind, ...base, exitCode: Number(e.attributes['exitCode'] ?? -1) });
          else on({ kind, ...base });
        },
      }),
    followLogs: (since, signal, on) =>
      openProjectByName(handle.project.name, { root }).logs({
        follow: true,
        since,
        signal,
        onLine: (l) => on({ kind: 'log', ...toLogLine(l) }),
      }),
  };
}

export function environment(parts: EnvironmentParts): Environment {
  const { handle, root, hub } = parts;
  const project = handle.project;
  let runtime: Promise<Runtime> | undefined;
  const readLogs =
    (service: string): ReadLogs =>
    (o, onLine) =>
      openProjectByName(project.name, { root }).logs({
        services: [service],
        follow: o.follow,
        ...(o.since !== undefined ? { since: o.since } : {}),
        ...(o.tail !== undefined ? { tail: o.tail } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
        onLine: (l) => onLine(toLogLine(l)),
      });
  const ctx = {
    handle,
    readLogs,
    runtime: () => (runtime ??= import('../../runtime/index.ts').then((m) => m.createRuntime({ root }))),
  };
  let downed: Promise<void> | undefined;
  const env: Environment = {
    projectName: project.name,
    project,
    service(name) {
      if (!(name in project.services)) throw new UsageError(`no such service: ${name}`);
      return serviceHandle(ctx, name);
    },
    ps: () => handle.ps({ oneOffs: true }),
    on: (kind, listener) => hub.on(kind, listener as (e: EnvironmentEvent) => void),
    events: (o = {}) => hub.stream(o.signal),
    down(o = {}) {
      // Once: a second call (dispose after down) waits for the first.
      downed ??= (async () => {
        await hub.close();
        await handle.down({ volumes: o.volumes === true, removeOrphans: true });
        parts.reaper?.release();
      })().catch((e: unknown) => {
        downed = undefined; // a failed down may be tried again (and the reaper still stands by)
        throw e;
      });
      return downed;
    },
    [Symbol.asyncDispose]: () => env.down({ volumes: true }),
  };
  return env;
}
