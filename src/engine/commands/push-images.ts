// Compose `push`: the images of the services that are built here and named for a registry
// (`build:` and an `image:` of their own, as Compose skips the rest), pushed one service after another;
// --ignore-push-failures turns a failure into a warning and goes on.
import { UsageError } from '../../common/errors.ts';
import type { PushProgress, PushResult } from '../../image/index.ts';
import type { EngineContext } from '../context.ts';

/** `gantry push` flags as options. */
export interface PushServicesOptions {
  readonly ignoreFailures?: boolean;
  readonly signal?: AbortSignal;
  /** Progress of each push. */
  readonly onProgress?: (service: string, e: PushProgress) => void;
}

/** A service whose image `gantry push` pushed. */
export interface PushedService extends PushResult {
  readonly service: string;
}

export async function pushImages(
  ctx: Pick<EngineContext, 'project' | 'images' | 'emit'>,
  services: readonly string[],
  o: PushServicesOptions = {},
): Promise<readonly PushedService[]> {
  for (const s of services) if (!ctx.project.services[s]) throw new UsageError(`no such service: ${s}`);
  const names = services.length > 0 ? services : Object.keys(ctx.project.services);
  const out: PushedService[] = [];
  for (const name of names) {
    const svc = ctx.project.services[name]!;
    // The model names an unnamed built image `<project>-<service>`: local only, never pushed.
    if (!svc.build || !svc.image || svc.image === `${ctx.project.name}-${name}`) continue;
    const t0 = Date.now();
    ctx.emit({ kind: 'op-start', op: 'push', target: name, cause: svc.image });
    try {
      const r = await ctx.images.push(svc.image, {
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.onProgress ? { onProgress: (e: PushProgress) => o.onProgress!(name, e) } : {}),
      });
      out.push({ service: name, ...r });
      ctx.emit({ kind: 'op-done', op: 'push', target: name, ms: Date.now() - t0 });
    } catch (e) {
      if (!o.ignoreFailures) throw e;
      ctx.emit({ kind: 'warning', message: `service ${name}: push ${svc.image}: ${(e as Error).message}` });
    }
  }
  return out;
}
