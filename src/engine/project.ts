// The Node API: `openProject(model)` → a handle whose verbs drive the engine, each loading its
// command module on first use; `await using` disposes it with `down`. Its shape is in
// project-handle.ts, how each verb gets its context (lock, GC, supervisor) in project-context.ts.
import { RuntimeError } from '../common/errors.ts';
import type { Project } from '../project/model.ts';
import { stateRoot } from '../common/state-root.ts';
import { projectDir } from './state.ts';
import type { EngineOptions, ProjectHandle } from './project-handle.ts';
import { context, locked, runtimeOf, supervisedContext, supervisedRuntime } from './project-context.ts';
import { execInProject } from './project-exec.ts';

/** The engine over a loaded project: every verb of the CLI, as methods. */
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
      locked(project, o, async (ctx) => (await import('./commands/build-images.ts')).buildServices(ctx, services, bo)),
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
    exec: (req) => execInProject(project, o, req),
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
    async execCaptured(req) {
      if (!(req.service in project.services)) throw new RuntimeError(`no such service: ${req.service}`);
      const [runtime, { execCaptured }] = await Promise.all([
        supervisedRuntime(project, o),
        import('./commands/exec.ts'),
      ]);
      return execCaptured(runtime, project.name, req, project.services[req.service]!.container_names);
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
