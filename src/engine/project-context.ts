// How a verb of the Node API gets its engine context: made over the state root (runtime, networks,
// image store), under the project lock for the verbs that change the project, where every locked
// verb first runs a cheap GC of what killed gantry processes left (network intents, orphaned
// cgroups, killed builds' namespaces) and revives a dead supervisor; the read-only verbs take no lock.
import { existsSync } from 'node:fs';
import type { Project } from '../project/model.ts';
import type { Runtime } from '../runtime/index.ts';
import { stateDirs, stateRoot } from '../common/state-root.ts';
import { secureStateRoot } from '../common/secure-root.ts';
import type { EngineContext } from './context.ts';
import type { EngineOptions } from './project-handle.ts';
import { lockProject, projectDir } from './state.ts';
import { collectKilledBuilds } from './ops/killed-builds.ts';

export async function context(project: Project, o: EngineOptions): Promise<EngineContext> {
  const root = o.root ?? stateRoot();
  secureStateRoot(root);
  const emit = o.emit ?? (() => undefined);
  const [{ createRuntime }, nets, { openImageStore }] = await Promise.all([
    import('../runtime/index.ts'),
    import('./ops/network-manager.ts').then((m) =>
      m.openNetworks(root, (message) => emit({ kind: 'warning', message })),
    ),
    import('../image/index.ts'),
  ]);
  return {
    root,
    project,
    runtime: createRuntime({ root }),
    nets,
    images: openImageStore(stateDirs(root).images),
    projectDir: projectDir(root, project.name),
    emit,
    imageOf: new Map(),
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

export async function locked<T>(
  project: Project,
  o: EngineOptions,
  fn: (ctx: EngineContext) => Promise<T>,
  revive = true,
): Promise<T> {
  const ctx = await context(project, o);
  const lock = await lockProject(ctx.projectDir);
  // One shim spawner for the whole command: re-forked per dependency level otherwise (issue 20).
  const release = ctx.runtime.hold();
  try {
    if (lock.recovered)
      await (
        await import('./ops/netns-intents.ts')
      )
        .removeStrayNetns(ctx.projectDir, ctx.runtime)
        .catch(() => undefined);
    // A build killed with kill -9 (its namespace, RUN container and veth): one readdir when there is none.
    const killedBuilds = await collectKilledBuilds(ctx.root, ctx.runtime).catch(() => []);
    if (killedBuilds.length > 0 || (await needsNetworkGc(ctx, lock.recovered))) {
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
    release();
    lock.release();
  }
}

/** The runtime over the options' state root, for the commands that need no project lock. */
export async function runtimeOf(o: EngineOptions): Promise<Runtime> {
  return (await import('../runtime/index.ts')).createRuntime({ root: o.root ?? stateRoot() });
}

/** runtimeOf for a command on the project: a dead supervisor is restarted first (revive-supervisor.ts). */
export async function supervisedRuntime(project: Project, o: EngineOptions): Promise<Runtime> {
  const [runtime, { reviveSupervisor }] = await Promise.all([
    runtimeOf(o),
    import('./supervision/revive-supervisor.ts'),
  ]);
  await reviveSupervisor(runtime, projectDir(o.root ?? stateRoot(), project.name), o.emit);
  return runtime;
}

/** context() for a command on the project, reviving a dead supervisor first. */
export async function supervisedContext(project: Project, o: EngineOptions): Promise<EngineContext> {
  const ctx = await context(project, o);
  await (await import('./supervision/revive-supervisor.ts')).reviveSupervisor(ctx.runtime, ctx.projectDir, ctx.emit);
  return ctx;
}
