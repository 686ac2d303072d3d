// `compose(options)`: the Node API's way in. It loads the project under a unique name (unless one
// is given), starts the reaper, brings the services up through the engine, runs the wait strategies
// and returns the running {@link Environment}. A failed `up` takes down what it made (unless keep).
import { stateRoot } from '../../common/state-root.ts';
import { loadProject, projectNameOf } from '../model.ts';
import { openProject } from '../project.ts';
import type { LoadOptions } from '../../project/raw.ts';
import { EventHub, type EnvironmentEvent, type EnvironmentEventKind, type EnvironmentEventOf } from './events.ts';
import { environment, eventSources, type Environment } from './environment.ts';
import { startReaper } from './reaper.ts';
import type { ComposeOptions, UpOptions } from './types.ts';
import type { WaitStrategy } from './wait-strategies.ts';

/** A project ready to be brought up; made by {@link compose}. */
export interface ComposeStack {
  /** Subscribes before `up`, to see the events `up` itself causes; see {@link Environment.on}. */
  on<K extends EnvironmentEventKind>(kind: K, listener: (e: EnvironmentEventOf<K>) => void): () => void;
  /** `gantry up -d` (with `wait`: `--wait`), then the wait strategies; resolves with the running environment. */
  up(o?: UpOptions): Promise<Environment>;
}

/** A name no other environment has: the project's own name with a random suffix. */
async function uniqueName(lo: LoadOptions): Promise<string> {
  const suffix = globalThis.crypto.randomUUID().replaceAll('-', '').slice(0, 10);
  return `${await projectNameOf(lo)}-${suffix}`;
}

const strategiesOf = (o: UpOptions): [string, WaitStrategy][] =>
  Object.entries(o.waitFor ?? {}).flatMap(([service, s]) =>
    (Array.isArray(s) ? (s as readonly WaitStrategy[]) : [s as WaitStrategy]).map((x): [string, WaitStrategy] => [
      service,
      x,
    ]),
  );

/**
 * Describes a Compose project to run as a test environment. Nothing happens until
 * {@link ComposeStack.up}.
 *
 * @example
 * ```ts
 * await using env = await compose({ files: ['compose.yaml'] }).up({
 *   wait: true,
 *   waitFor: { web: wait.forHttp('/health', { port: 80 }) },
 * });
 * const res = await fetch(await env.service('web').url(80, '/health'));
 * ```
 */
export function compose(o: ComposeOptions = {}): ComposeStack {
  const early: { kind: EnvironmentEventKind; fn: (e: EnvironmentEvent) => void }[] = [];
  return {
    on(kind, listener) {
      const entry = { kind, fn: listener as (e: EnvironmentEvent) => void };
      early.push(entry);
      return () => {
        const at = early.indexOf(entry);
        if (at >= 0) early.splice(at, 1);
      };
    },
    async up(u = {}) {
      const base: LoadOptions = {
        files: o.files ?? [],
        envFiles: o.envFiles ?? [],
        profiles: o.profiles ?? [],
        environment: { ...process.env, ...o.env },
        workingDir: o.cwd ?? process.cwd(),
        ...(u.services ? { enableServices: u.services } : {}),
      };
      const lo = { ...base, projectName: o.projectName ?? (await uniqueName(base)) };
      const project = await loadProject(lo);
      const root = o.root ?? stateRoot();
      const stopTimeoutMs = o.stopTimeout !== undefined ? o.stopTimeout * 1000 : undefined;
      const handle = openProject(project, {
        root,
        ...(stopTimeoutMs !== undefined ? { stopTimeoutMs } : {}),
        ...(u.timeoutMs !== undefined ? { waitTimeoutMs: u.timeoutMs } : {}),
      });
      // Before anything exists: a death from here on leaves nothing behind.
      const reaper = o.keep ? undefined : startReaper({ root, project, stopTimeoutMs: 1_000 });
      const since = Date.now();
      const hub = new EventHub(eventSources(handle, root), since);
      for (const e of early) hub.on(e.kind, e.fn);
      const env = environment({ handle, root, since, reaper, hub });
      try {
        await handle.up({
          wait: u.wait === true,
          ...(u.build ? { build: true } : {}),
          ...(u.services ? { services: u.services } : {}),
          ...(u.pull ? { pull: u.pull } : {}),
          ...(u.signal ? { signal: u.signal } : {}),
        });
        await Promise.all(
          strategiesOf(u).map(([s, w]) => env.service(s).waitFor(w, u.signal ? { signal: u.signal } : {})),
        );
      } catch (e) {
        if (o.keep) await hub.close();
        else await env.down({ volumes: true }).catch(() => undefined);
        throw e;
      }
      return env;
    },
  };
}
