// `wait SERVICE...`: blocks (holding no lock) until the first of the services' containers stops
// and gives its exit code, as Compose's wait does.
import { RuntimeError } from '../../common/errors.ts';
import type { EngineContext } from '../context.ts';
import { serviceContainers } from './lifecycle.ts';

export async function waitFirstExit(
  ctx: EngineContext,
  services: readonly string[],
  signal?: AbortSignal,
): Promise<{ name: string; exitCode: number }> {
  const states = await serviceContainers(ctx, services);
  if (states.length === 0) throw new RuntimeError(`no containers for project "${ctx.project.name}"`);
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const first = await Promise.race(
      states.map(async (s) => {
        const end = await ctx.runtime.wait(s.id, { signal: stop.signal });
        return { name: s.id, status: end.status, exitCode: end.exitCode ?? 0 };
      }),
    );
    if (signal?.aborted) throw new RuntimeError('wait: interrupted', { exitCode: 130 });
    return { name: first.name, exitCode: first.exitCode };
  } finally {
    stop.abort(); // the other polls end
    signal?.removeEventListener('abort', onAbort);
  }
}
