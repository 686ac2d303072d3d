// `run`: a oneoff container of a service, `<project>-<service>-run-<12 hex>`, labelled oneoff.
// One plan: its dependencies come up as `up` brings them (unless --no-deps), its networks and
// volumes are made if missing, then it is created from the service with the flags applied
// (run-service.ts) and started: attached, or detached with the shim removing it after exit for --rm -d.
import { buildGraph, planRun, withDependencies, type Plan } from '../../plan/index.ts';
import { requireSupported } from '../../project/unsupported.ts';
import type { ShimHandle } from '../../runtime/index.ts';
import { RuntimeError } from '../../common/errors.ts';
import type { EngineContext, OneOffRun } from '../context.ts';
import { observe } from '../ops/observe.ts';
import { removeContainer } from '../ops/container.ts';
import { oneOffPorts, resolvePorts } from '../ops/choose-host-ports.ts';
import { oneOffService, type RunOverrides } from './run-service.ts';
import { syncSupervision } from '../supervision/sync-supervision.ts';
import { applyPlan, imagesFor } from './up.ts';
import { checkFileSources } from '../ops/file-mounts.ts';
import { oneOffName } from '../oneoff-name.ts';
import { checkName } from '../../common/names.ts';
import { removeAnonVolumes } from '../ops/anon-volumes.ts';

/** `gantry run` flags as options. */
export interface RunRequest extends RunOverrides {
  readonly service: string;
  readonly name?: string;
  readonly rm?: boolean;
  readonly detach?: boolean;
  readonly noDeps?: boolean;
  /** The oneoff gets the service's DNS names and network aliases (default: its name only). */
  readonly useAliases?: boolean;
  readonly pull?: 'always' | 'missing' | 'never';
  /** run --build: the services' images are built first (those with a build section). */
  readonly build?: boolean;
  readonly signal?: AbortSignal;
  /** Plan only: nothing is pulled into a container, made or started. */
  readonly dryRun?: boolean;
  /** run --rm -d: what the shim runs once the program exited (a caller's command that removes it). */
  readonly onExit?: { readonly argv: readonly string[]; readonly env: Readonly<Record<string, string>> };
}

export interface Started {
  readonly name: string;
  /** Attached only: the shim, whose exit is the program's exit code. */
  readonly shim?: ShimHandle;
  /** The program could not be started; its exit code (126, 127) and why. */
  readonly failed?: { readonly exitCode: number; readonly message: string };
  /** What ran (with dryRun: what would run). */
  readonly plan: Plan;
}

type RunOutcome = Parameters<OneOffRun['started']>[0];

/**
 * Under the project lock: images, what exists and the ports resolved, then one plan (the
 * dependencies' up, missing networks and volumes, the oneoff made and started) run unchanged.
 * The caller waits for an attached one. With dryRun only the plan is returned.
 */
export async function startOneOff(base: EngineContext, req: RunRequest): Promise<Started> {
  const svc = base.project.services[req.service];
  if (!svc) throw new RuntimeError(`no such service: ${req.service}`);
  if (req.name !== undefined) checkName('container', req.name); // before anything is made under it
  const noDeps: EngineContext = req.noDeps ? { ...base, noDeps: true } : base;
  const services = withDependencies(buildGraph(base.project), [req.service], req.noDeps);
  const deps = req.noDeps ? [] : services.filter((s) => s !== req.service);
  requireSupported(base.project, services);
  checkFileSources(base.project, services);
  const images = await imagesFor(noDeps, services, {
    ...(req.pull ? { pull: req.pull } : {}),
    ...(req.signal ? { signal: req.signal } : {}),
    ...(req.build ? { build: true } : {}),
  });
  const observed = await observe(noDeps);
  const name = req.name ?? oneOffName(base.project.name, req.service);
  // Before anything is made under that name: a failed create cleans up by name, which would hit the holder.
  if ((await base.runtime.list()).some((c) => c.id === name))
    throw new RuntimeError(`container name "${name}" is already in use`);
  const oneOff = oneOffService(svc, req);
  const ports = new Map([...(await resolvePorts(noDeps, deps, observed)), ...(await oneOffPorts(name, oneOff))]);
  let outcome: RunOutcome = {};
  const start = req.detach ? (req.rm && req.onExit ? { onExit: req.onExit } : {}) : { attach: true };
  const ctx: EngineContext = {
    ...noDeps,
    imageOf: images,
    oneOff: { name, svc: oneOff, useAliases: req.useAliases ?? false, start, started: (r) => void (outcome = r) },
  };
  const imageIds = Object.fromEntries([...images].map(([k, v]) => [k, v.id]));
  const plan = planRun({ project: ctx.project, imageIds, ports }, observed, {
    service: req.service,
    name,
    ...(req.noDeps ? { noDeps: true } : {}),
  });
  if (req.dryRun) return { name, plan };
  await applyPlan(ctx, plan, req.signal ? { signal: req.signal } : {});
  if (outcome.failed) {
    if (req.rm) await removeOneOffQuietly(ctx, name);
    return { name, plan, failed: outcome.failed };
  }
  return { name, plan, ...(req.detach || !outcome.shim ? {} : { shim: outcome.shim }) };
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

/** What a `run` oneoff did: its name and, attached, its exit code. */
export interface RunResult {
  readonly name: string;
  readonly plan: Plan;
  /** Attached, or a program that could not be started: its exit code. */
  readonly exitCode?: number;
  /** Why the program could not be started. */
  readonly error?: string;
}

/** Outside the lock: wait for an attached oneoff (SIGTERM to us goes on to it), then --rm. */
export async function awaitOneOff(
  s: Started,
  req: RunRequest,
  remove: (name: string) => Promise<void>,
): Promise<RunResult> {
  if (s.failed) return { name: s.name, plan: s.plan, exitCode: s.failed.exitCode, error: s.failed.message };
  const shim = s.shim;
  if (!shim) return { name: s.name, plan: s.plan };
  // Ctrl-C reaches the shim through the terminal; a SIGTERM sent to gantry alone must be passed on.
  const forward = (): void => {
    if (String(req.signal?.reason).includes('SIGTERM')) shim.child.kill('SIGTERM');
  };
  if (req.signal?.aborted) forward();
  else req.signal?.addEventListener('abort', forward, { once: true });
  try {
    return { name: s.name, plan: s.plan, exitCode: await shim.exit };
  } finally {
    req.signal?.removeEventListener('abort', forward);
    if (req.rm) await remove(s.name);
  }
}
