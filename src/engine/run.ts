// `run`: a oneoff container of a service, `<project>-<service>-run-<12 hex>`, labelled oneoff.
// Its dependencies come up first through `up` (unless --no-deps), its networks and volumes are
// made if missing, then it is created from the service with the flags applied (run-service.ts)
// and started: attached, or detached with the shim removing it after exit for --rm -d.
import { buildGraph, managedNetworks, managedVolumes, opId, withDependencies } from '../plan/index.ts';
import { requireSupported } from '../project/index.ts';
import type { ShimHandle } from '../runtime/index.ts';
import { RuntimeError } from '../common/errors.ts';
import type { EngineContext } from './context.ts';
import { observe } from './observe.ts';
import { runOp } from './ops/index.ts';
import { createServiceContainer, removeContainer } from './ops/container.ts';
import { fixContainerPorts } from './ports.ts';
import { resolveImages } from './resolve-images.ts';
import { oneOffService, type RunOverrides } from './run-service.ts';
import { syncSupervision } from './sync-supervision.ts';
import { up } from './up.ts';
import { waitForDependencies } from './wait.ts';
import { oneOffName } from './oneoff-name.ts';
import { checkName } from '../common/names.ts';
import { removeAnonVolumes } from './anon-volumes.ts';

export interface RunRequest extends RunOverrides {
  readonly service: string;
  readonly name?: string;
  readonly rm?: boolean;
  readonly detach?: boolean;
  readonly noDeps?: boolean;
  /** The oneoff gets the service's DNS names and network aliases (default: its name only). */
  readonly useAliases?: boolean;
  readonly pull?: 'always' | 'missing' | 'never';
  readonly signal?: AbortSignal;
  /** run --rm -d: what the shim runs once the program exited (a caller's command that removes it). */
  readonly onExit?: { readonly argv: readonly string[]; readonly env: Readonly<Record<string, string>> };
}

export interface Started {
  readonly name: string;
  /** Attached only: the shim, whose exit is the program's exit code. */
  readonly shim?: ShimHandle;
  /** The program could not be started; its exit code (126, 127) and why. */
  readonly failed?: { readonly exitCode: number; readonly message: string };
}

/** Networks and volumes the service needs that do not exist yet (--no-deps makes no `up`). */
async function ensureResources(ctx: EngineContext, service: string): Promise<void> {
  const observed = await observe(ctx);
  for (const [, id] of managedNetworks(ctx.project, [service])) {
    if (!observed.networks.includes(id)) await runOp(ctx, { id: opId('create-network', id), kind: 'create-network', target: id, cause: 'missing', deps: [] }, new AbortController().signal);
  }
  for (const [, name] of managedVolumes(ctx.project, [service])) {
    if (!observed.volumes.includes(name)) await runOp(ctx, { id: opId('create-volume', name), kind: 'create-volume', target: name, cause: 'missing', deps: [] }, new AbortController().signal);
  }
}

/** Under the project lock: dependencies, resources, create, start. The caller waits for an attached one. */
export async function startOneOff(base: EngineContext, req: RunRequest): Promise<Started> {
  const svc = base.project.services[req.service];
  if (!svc) throw new RuntimeError(`no such service: ${req.service}`);
  if (req.name !== undefined) checkName('container', req.name); // before anything is made under it
  const ctx: EngineContext = req.noDeps ? { ...base, noDeps: true } : base;
  const deps = withDependencies(buildGraph(ctx.project), [req.service]).filter((s) => s !== req.service);
  const pull = req.pull ? { pull: req.pull } : {};
  const signal = req.signal ?? new AbortController().signal;
  if (!req.noDeps && deps.length > 0) await up(ctx, { services: deps, ...pull, signal });
  requireSupported(ctx.project, [req.service]);
  const images = await resolveImages(ctx.images, ctx.project, [req.service], { ...pull, emit: ctx.emit, signal });
  for (const [k, v] of images) ctx.imageOf.set(k, v);
  await ensureResources(ctx, req.service);
  const name = req.name ?? oneOffName(ctx.project.name, req.service);
  // Before anything is made under that name: a failed create cleans up by name, which would hit the holder.
  if ((await ctx.runtime.list()).some((c) => c.id === name)) throw new RuntimeError(`container name "${name}" is already in use`);
  const oneOff = oneOffService(svc, req);
  await fixContainerPorts(ctx, name, oneOff);
  await createServiceContainer(ctx, req.service, 1, name, { svc: oneOff, useAliases: req.useAliases ?? false });
  try {
    await waitForDependencies(ctx, req.service, signal);
    if (signal.aborted) throw new RuntimeError(`run ${name}: interrupted`);
    const shim = await ctx.runtime.start(name, req.detach ? (req.rm && req.onExit ? { onExit: req.onExit } : {}) : { attach: true });
    await syncSupervision(ctx);
    return { name, ...(req.detach ? {} : { shim }) };
  } catch (e) {
    // A program that cannot be exec'd still has an exit code (127, 126), as with Docker.
    const code = ctx.runtime.state(name).exitCode;
    if (req.rm || code === undefined || code <= 0) await removeOneOffQuietly(ctx, name);
    if (code === undefined || code <= 0) throw e;
    return { name, failed: { exitCode: code, message: (e as Error).message } };
  }
}

/** --rm: the oneoff goes with its namespace, endpoints and anonymous volumes (as Docker's --rm); the supervisor forgets it. */
export async function removeOneOff(ctx: EngineContext, name: string): Promise<void> {
  await removeContainer(ctx, name);
  removeAnonVolumes(ctx.root, ctx.project.name, [name]);
  await syncSupervision(ctx);
}

async function removeOneOffQuietly(ctx: EngineContext, name: string): Promise<void> {
  await removeContainer(ctx, name).catch(() => undefined);
  try {
    removeAnonVolumes(ctx.root, ctx.project.name, [name]);
  } catch {}
}

export interface RunResult {
  readonly name: string;
  /** Attached, or a program that could not be started: its exit code. */
  readonly exitCode?: number;
  /** Why the program could not be started. */
  readonly error?: string;
}

/** Outside the lock: wait for an attached oneoff (SIGTERM to us goes on to it), then --rm. */
export async function awaitOneOff(s: Started, req: RunRequest, remove: (name: string) => Promise<void>): Promise<RunResult> {
  if (s.failed) return { name: s.name, exitCode: s.failed.exitCode, error: s.failed.message };
  const shim = s.shim;
  if (!shim) return { name: s.name };
  // Ctrl-C reaches the shim through the terminal; a SIGTERM sent to gantry alone must be passed on.
  const forward = (): void => {
    if (String(req.signal?.reason).includes('SIGTERM')) shim.child.kill('SIGTERM');
  };
  if (req.signal?.aborted) forward();
  else req.signal?.addEventListener('abort', forward, { once: true });
  try {
    return { name: s.name, exitCode: await shim.exit };
  } finally {
    req.signal?.removeEventListener('abort', forward);
    if (req.rm) await remove(s.name);
  }
}
