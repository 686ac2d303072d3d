// depends_on conditions, checked before a container starts: service_started (the plan already
// ordered it), service_healthy (the supervisor's health file), service_completed_successfully
// (the runtime's exit code). A failure or timeout names both services.
import { RuntimeError } from '../../common/errors.ts';
import { NotFoundError } from '../../runtime/index.ts';
import { isServiceContainer } from '../labels.ts';
import type { EngineContext } from '../context.ts';
import { readHealth } from '../../supervisor/index.ts';
import { lastWords } from './last-words.ts';
import { mergeHealthcheck } from '../supervision/supervision-set.ts';

/** A poll interval that ends early on abort, and leaves no listener behind on the shared signal. */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((r) => {
    const onAbort = (): void => (clearTimeout(t), r());
    const t = setTimeout(() => (signal.removeEventListener('abort', onAbort), r()), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

const mine = (ctx: EngineContext, service: string, labels: Readonly<Record<string, string>>): boolean =>
  isServiceContainer(labels, ctx.project.name, service);

/**
 * The dependency's containers: the ones its model names (what the plan made), each read alone.
 * Why not runtime.list(): it reads every container on the host, once per waiting service, so a
 * 60-service `up` parsed ~3,600 state files (issue 20). A service outside the model (an inactive
 * profile) has no names: then the whole list, as before.
 */
async function containersOf(ctx: EngineContext, service: string): Promise<readonly string[]> {
  const names = ctx.project.services[service]?.container_names ?? [];
  if (names.length === 0)
    return (await ctx.runtime.list()).filter((s) => mine(ctx, service, s.labels)).map((s) => s.id);
  return names.filter((id) => {
    try {
      return mine(ctx, service, ctx.runtime.state(id).labels);
    } catch (e) {
      if (e instanceof NotFoundError) return false;
      throw e;
    }
  });
}

async function healthy(ctx: EngineContext, dep: string, id: string, signal: AbortSignal): Promise<void> {
  const img = ctx.imageOf.get(dep);
  const svc = ctx.project.services[dep];
  if (svc && img && !mergeHealthcheck(svc, img))
    throw new RuntimeError(`dependency ${dep} has no healthcheck (condition service_healthy)`);
  const deadline = Date.now() + ctx.waitTimeoutMs;
  while (!signal.aborted) {
    const h = readHealth(ctx.projectDir, id);
    if (h?.status === 'healthy') return;
    if (h?.status === 'unhealthy')
      throw new RuntimeError(
        `dependency ${dep} is unhealthy (${h.log.at(-1)?.output.trim() ?? ''})${await lastWords(ctx.runtime, id)}`,
      );
    const st = ctx.runtime.state(id);
    if (st.status === 'exited')
      throw new RuntimeError(
        `dependency ${dep} exited with code ${st.exitCode ?? '?'} before it was healthy${await lastWords(ctx.runtime, id)}`,
      );
    if (Date.now() > deadline)
      throw new RuntimeError(`dependency ${dep} was not healthy within ${ctx.waitTimeoutMs} ms`);
    await sleep(50, signal);
  }
}

async function completed(ctx: EngineContext, dep: string, id: string, signal: AbortSignal): Promise<void> {
  const s = await ctx.runtime.wait(id, { timeoutMs: ctx.waitTimeoutMs, signal });
  if (s.status !== 'exited')
    throw new RuntimeError(`dependency ${dep} did not complete within ${ctx.waitTimeoutMs} ms`);
  if (s.exitCode !== 0)
    throw new RuntimeError(
      `dependency ${dep} exited with code ${s.exitCode ?? '?'}${await lastWords(ctx.runtime, id)}`,
    );
}

/** Errors name the dependency; the executor prefixes the waiting service and step. */
export async function waitForDependencies(ctx: EngineContext, service: string, signal: AbortSignal): Promise<void> {
  if (ctx.noDeps) return; // --no-deps: dependencies are neither started nor waited for
  const deps = ctx.project.services[service]?.depends_on ?? {};
  await Promise.all(
    Object.entries(deps).map(async ([dep, d]) => {
      const ids = await containersOf(ctx, dep);
      if (ids.length === 0) {
        if (!d.required)
          return ctx.emit({
            kind: 'warning',
            message: `service ${service}: optional dependency ${dep} is not running`,
          });
        throw new RuntimeError(`dependency ${dep} has no container`);
      }
      if (d.condition === 'service_started') return;
      ctx.emit({ kind: 'waiting', service, dependency: dep, condition: d.condition });
      for (const id of ids) {
        ctx.emit({ kind: 'container-state', target: id, service: dep, state: 'waiting' });
        if (d.condition === 'service_healthy') await healthy(ctx, dep, id, signal);
        else await completed(ctx, dep, id, signal);
        if (signal.aborted) return;
        const state = d.condition === 'service_healthy' ? 'healthy' : 'exited';
        ctx.emit({ kind: 'container-state', target: id, service: dep, state });
      }
    }),
  );
}
