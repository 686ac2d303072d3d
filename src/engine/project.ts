// The Node API: `openProject(model)` → a handle whose up/down/ps drive the engine under the
// project lock; `await using` disposes it with `down`. Every locked command first runs a cheap
// GC of what killed gantry processes left (network intents, orphaned cgroups).
import { existsSync } from 'node:fs';
import { RuntimeError, UsageError } from '../common/errors.ts';
import type { Project } from '../project/model.ts';
import type { Plan } from '../plan/index.ts';
import type { Runtime } from '../runtime/index.ts';
import { stateDirs, stateRoot } from '../common/state-root.ts';
import type { EngineContext } from './context.ts';
import type { EventSink } from './events.ts';
import { lockProject, projectDir } from './state.ts';
import type { UpRequest } from './commands/up.ts';
import type { BuildServicesOptions } from './commands/build-images.ts';
import type { PushedService, PushServicesOptions } from './commands/push-images.ts';
import type { DownRequest } from './commands/down.ts';
import type { PsEntry } from './commands/ps.ts';
import type { ImageRow } from './commands/images.ts';
import type { EventsRequest } from './commands/container-events.ts';
import type { StatsRequest } from './commands/stats.ts';
import type { CpRequest } from './commands/cp.ts';
import type { KillRequest, LifecycleRequest, RestartRequest, RmRequest } from './commands/lifecycle.ts';
import type { TopEntry } from './commands/top.ts';
import type { PortRequest } from './commands/published-port.ts';
import type { ExecRequest } from './commands/exec.ts';
import type { RunRequest, RunResult } from './commands/run.ts';
import type { ExecOutput, SyncRequest } from './commands/develop.ts';
import type { AttachRequest } from './commands/attach.ts';
import { secureStateRoot } from '../common/secure-root.ts';

export interface EngineOptions {
  readonly root?: string;
  readonly emit?: EventSink;
  readonly waitTimeoutMs?: number;
  readonly stopTimeoutMs?: number;
}

export interface ProjectHandle extends AsyncDisposable {
  readonly project: Project;
  up(req?: UpRequest): Promise<Plan>;
  down(req?: DownRequest): Promise<Plan>;
  /** oneOffs: `run` containers too (ps -a). */
  ps(o?: { oneOffs?: boolean }): Promise<readonly PsEntry[]>;
  pull(services?: readonly string[], o?: { ignoreFailures?: boolean; signal?: AbortSignal }): Promise<void>;
  /** `gantry build`: builds the services that have a build section (all when none named). */
  build(services?: readonly string[], o?: BuildServicesOptions): Promise<readonly { service: string; id: string }[]>;
  /** `gantry push`: the images of the services with `build:` and `image:` (all when none named). */
  push(services?: readonly string[], o?: PushServicesOptions): Promise<readonly PushedService[]>;
  images(): Promise<readonly ImageRow[]>;
  // Each lifecycle verb resolves with the plan it ran (with dryRun: ran nothing).
  /** Stops the services' running containers (dependents first), marked stopped by the user; removes nothing. */
  stop(req?: LifecycleRequest): Promise<Plan>;
  /** Starts the services' existing stopped containers (dependencies first). */
  start(req?: LifecycleRequest): Promise<Plan>;
  restart(req?: RestartRequest): Promise<Plan>;
  kill(req?: KillRequest): Promise<Plan>;
  /** Removes stopped containers (its `remove` ops name them; none when the confirmation said no). */
  rm(req?: RmRequest): Promise<Plan>;
  pause(req?: LifecycleRequest): Promise<Plan>;
  unpause(req?: LifecycleRequest): Promise<Plan>;
  top(services?: readonly string[]): Promise<readonly TopEntry[]>;
  /** Blocks until the first container of the services stops (no lock held); its exit code. */
  wait(services: readonly string[], o?: { signal?: AbortSignal }): Promise<{ name: string; exitCode: number }>;
  /** `HOST:PORT` a container port is published on. */
  port(service: string, privatePort: number, req?: PortRequest): Promise<string>;
  /** Attached `up`'s loop over the started project: log lines and exits as events; resolves to the exit code. */
  attach(req: AttachRequest): Promise<number>;
  /** The project's containers with their log files (attached `up`, logs); not `run`'s oneoffs. */
  containers(): Promise<readonly ContainerRef[]>;
  /** Follows the project's container events from the state root's journal (see container-events.ts). */
  events(req: EventsRequest): Promise<void>;
  /** Samples the project's containers' cgroup and network counters (see stats.ts). */
  stats(req: StatsRequest): Promise<void>;
  /** Copies between a service's running container and the host (see cp.ts). */
  cp(req: CpRequest): Promise<void>;
  /** A command in a service's running container, on our stdio; resolves to its exit code (0 once started with detach). */
  exec(req: ExecRequest): Promise<number>;
  /** watch's sync: files into every running replica of a service (see develop.ts); how many got them. */
  sync(req: SyncRequest): Promise<number>;
  /** A command in every running replica of a service, its output kept (watch's sync+exec). */
  execCollected(req: ExecRequest): Promise<readonly ExecOutput[]>;
  /** Removes image layers and blobs no image uses any more (watch --prune after a rebuild). */
  pruneImages(): Promise<{ removedLayers: number; bytes: number }>;
  /** A oneoff container of a service; attached on our stdio unless detach. */
  run(req: RunRequest): Promise<RunResult>;
  /** Removes a oneoff with its networking (run --rm -d, once it exited). */
  removeOneOff(name: string): Promise<void>;
}

export interface ContainerRef {
  readonly name: string;
  readonly service: string;
  readonly status: 'created' | 'running' | 'exited';
  readonly exitCode?: number; // when exited
  readonly logPath: string;
}

async function context(project: Project, o: EngineOptions): Promise<EngineContext> {
  const root = o.root ?? stateRoot();
  secureStateRoot(root);
  const [{ createRuntime }, { createNetworkManager }, { openImageStore }] = await Promise.all([
    import('../runtime/index.ts'),
    import('../network/index.ts'),
    import('../image/index.ts'),
  ]);
  const emit = o.emit ?? (() => undefined);
  return {
    root,
    project,
    runtime: createRuntime({ root }),
    nets: createNetworkManager({
      root: stateDirs(root).networks,
      warn: (message) => emit({ kind: 'warning', message }),
    }),
    images: openImageStore(stateDirs(root).images),
    projectDir: projectDir(root, project.name),
    emit,
    imageOf: new Map(),
    ports: new Map(),
    waitTimeoutMs: o.waitTimeoutMs ?? 120_000,
    ...(o.stopTimeoutMs !== undefined ? { stopTimeoutMs: o.stopTimeoutMs } : {}),
  };
}

/**
 * The full network GC reads the firewall state (≈ 170 ms here), so it runs only on evidence of a
 * crash: a stale project lock, or an endpoint half attached or whose namespace is gone.
 */
async function needsNetworkGc(ctx: EngineContext, recovered: boolean): Promise<boolean> {
  if (recovered) return true;
  return (await ctx.nets.list()).some((n) => n.endpoints.some((e) => e.state !== 'ready' || !existsSync(e.netnsPath)));
}

async function locked<T>(
  project: Project,
  o: EngineOptions,
  fn: (ctx: EngineContext) => Promise<T>,
  revive = true,
): Promise<T> {
  const ctx = await context(project, o);
  const lock = await lockProject(ctx.projectDir);
  try {
    if (lock.recovered)
      await (
        await import('./ops/netns-intents.ts')
      )
        .removeStrayNetns(ctx.projectDir, ctx.runtime)
        .catch(() => undefined);
    if (await needsNetworkGc(ctx, lock.recovered)) {
      await ctx.nets
        .gc()
        .catch((e: unknown) => ctx.emit({ kind: 'warning', message: `network gc: ${(e as Error).message}` }));
    }
    await ctx.runtime.prune().catch(() => undefined);
    if (revive)
      await (
        await import('./supervision/revive-supervisor.ts')
      ).reviveSupervisor(ctx.runtime, ctx.projectDir, ctx.emit);
    return await fn(ctx);
  } finally {
    lock.release();
  }
}

/** The runtime over the options' state root, for the commands that need no project lock. */
async function runtimeOf(o: EngineOptions): Promise<Runtime> {
  return (await import('../runtime/index.ts')).createRuntime({ root: o.root ?? stateRoot() });
}

/** runtimeOf for a command on the project: a dead supervisor is restarted first (revive-supervisor.ts). */
async function supervisedRuntime(project: Project, o: EngineOptions): Promise<Runtime> {
  const [runtime, { reviveSupervisor }] = await Promise.all([
    runtimeOf(o),
    import('./supervision/revive-supervisor.ts'),
  ]);
  await reviveSupervisor(runtime, projectDir(o.root ?? stateRoot(), project.name), o.emit);
  return runtime;
}

/** context() for a command on the project, reviving a dead supervisor first. */
async function supervisedContext(project: Project, o: EngineOptions): Promise<EngineContext> {
  const ctx = await context(project, o);
  await (await import('./supervision/revive-supervisor.ts')).reviveSupervisor(ctx.runtime, ctx.projectDir, ctx.emit);
  return ctx;
}

export function openProject(project: Project, o: EngineOptions = {}): ProjectHandle {
  return {
    project,
    up: async (req = {}) => locked(project, o, async (ctx) => (await import('./commands/up.ts')).up(ctx, req)),
    down: async (req = {}) =>
      locked(project, o, async (ctx) => (await import('./commands/down.ts')).down(ctx, req), false),
    async ps(po = {}) {
      const [runtime, { psEntries }] = await Promise.all([supervisedRuntime(project, o), import('./commands/ps.ts')]);
      return psEntries(runtime, project.name, projectDir(o.root ?? stateRoot(), project.name), po);
    },
    build: async (services = [], bo = {}) =>
      locked(project, o, async (ctx) => {
        const { buildService } = await import('./commands/build-images.ts');
        for (const n of services) if (!project.services[n]) throw new UsageError(`no such service: ${n}`);
        let names = services.length > 0 ? services : Object.keys(project.services);
        if (bo.withDependencies && services.length > 0) {
          const { buildGraph, withDependencies } = await import('../plan/index.ts');
          names = withDependencies(buildGraph(project), services, false);
        }
        // As Compose: services without build are skipped; the others build side by side.
        const todo = names.filter((n) => project.services[n]!.build);
        const built = await Promise.allSettled(
          todo.map(async (n) => ({ service: n, id: (await buildService(ctx, n, bo)).id })),
        );
        const failed = built.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
        return built.map((r) => (r as PromiseFulfilledResult<{ service: string; id: string }>).value);
      }),
    pull: async (services = [], po = {}) =>
      locked(project, o, async (ctx) => (await import('./commands/images.ts')).pullImages(ctx, services, po)),
    push: async (services = [], po = {}) =>
      (await import('./commands/push-images.ts')).pushImages(await context(project, o), services, po),
    images: async () => (await import('./commands/images.ts')).imageRows(await context(project, o)),
    stop: async (req = {}) =>
      locked(project, o, async (ctx) => (await import('./commands/lifecycle.ts')).stopServices(ctx, req)),
    start: async (req = {}) =>
      locked(project, o, async (ctx) => (await import('./commands/lifecycle.ts')).startServices(ctx, req)),
    restart: async (req = {}) =>
      locked(project, o, async (ctx) => (await import('./commands/lifecycle.ts')).restartServices(ctx, req)),
    kill: async (req = {}) =>
      locked(project, o, async (ctx) => (await import('./commands/lifecycle.ts')).killServices(ctx, req)),
    rm: async (req = {}) =>
      locked(project, o, async (ctx) => (await import('./commands/lifecycle.ts')).removeServices(ctx, req)),
    pause: async (req = {}) =>
      locked(project, o, async (ctx) => (await import('./commands/lifecycle.ts')).setPaused(ctx, req, true)),
    unpause: async (req = {}) =>
      locked(project, o, async (ctx) => (await import('./commands/lifecycle.ts')).setPaused(ctx, req, false)),
    top: async (services) =>
      (await import('./commands/top.ts')).topEntries(await supervisedContext(project, o), services),
    wait: async (services, wo = {}) =>
      (await import('./commands/wait-first-exit.ts')).waitFirstExit(
        await supervisedContext(project, o),
        services,
        wo.signal,
      ),
    port: async (service, privatePort, req) =>
      (await import('./commands/published-port.ts')).publishedPort(
        await supervisedContext(project, o),
        service,
        privatePort,
        req,
      ),
    async attach(req) {
      return (await import('./commands/attach.ts')).attachUp(this, req);
    },
    async containers() {
      const [runtime, { projectContainers, toObserved }] = await Promise.all([
        supervisedRuntime(project, o),
        import('./ops/observe.ts'),
      ]);
      return (await projectContainers({ runtime, project }))
        .map(toObserved)
        .filter((c) => !c.oneOff)
        .map((c) => ({
          name: c.name,
          service: c.service,
          status: c.status,
          ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}),
          logPath: runtime.logPath(c.name),
        }));
    },
    async events(req) {
      const [runtime, { followEvents }] = await Promise.all([runtimeOf(o), import('./commands/container-events.ts')]);
      return followEvents(runtime.journal, project.name, req);
    },
    async stats(req) {
      const [runtime, { projectStats }] = await Promise.all([
        supervisedRuntime(project, o),
        import('./commands/stats.ts'),
      ]);
      return projectStats(runtime, project.name, req);
    },
    async cp(req) {
      const [runtime, { copy }] = await Promise.all([supervisedRuntime(project, o), import('./commands/cp.ts')]);
      return copy(runtime, project.name, req);
    },
    async exec(req) {
      if (!(req.service in project.services)) throw new RuntimeError(`no such service: ${req.service}`);
      const [runtime, { execInService }] = await Promise.all([
        supervisedRuntime(project, o),
        import('./commands/exec.ts'),
      ]);
      return execInService(runtime, project.name, req);
    },
    async sync(req) {
      if (!(req.service in project.services)) throw new RuntimeError(`no such service: ${req.service}`);
      const [runtime, { syncIntoService }] = await Promise.all([runtimeOf(o), import('./commands/develop.ts')]);
      return syncIntoService(runtime, project.name, req);
    },
    async execCollected(req) {
      if (!(req.service in project.services)) throw new RuntimeError(`no such service: ${req.service}`);
      const [runtime, { execCollected }] = await Promise.all([runtimeOf(o), import('./commands/develop.ts')]);
      return execCollected(runtime, project.name, req);
    },
    pruneImages: async () => (await context(project, o)).images.prune(),
    async run(req) {
      const r = await import('./commands/run.ts');
      const started = await locked(project, o, (ctx) => r.startOneOff(ctx, req));
      return r.awaitOneOff(started, req, (name) => locked(project, o, (ctx) => r.removeOneOff(ctx, name)));
    },
    removeOneOff: async (name) =>
      locked(project, o, async (ctx) => (await import('./commands/run.ts')).removeOneOff(ctx, name)),
    async [Symbol.asyncDispose]() {
      await this.down({});
    },
  };
}
