// `pull` (the project's images, with progress; services with build and no registry image are
// skipped, as Compose does with --ignore-buildable) and `images` (what each container runs).
import { LABELS } from '../../plan/index.ts';
import { familiarName } from '../../image/index.ts';
import type { EngineContext } from '../context.ts';
import { projectContainers } from '../ops/observe.ts';
import { byCodeUnit } from '../../common/compare.ts';

/** One row of `gantry images`. */
export interface ImageRow {
  readonly Container: string;
  readonly Repository: string;
  readonly Tag: string;
  readonly ID: string;
  readonly Size: number;
}

export async function pullImages(
  ctx: EngineContext,
  services: readonly string[],
  o: { ignoreFailures?: boolean; signal?: AbortSignal } = {},
): Promise<void> {
  const names = services.length > 0 ? services : Object.keys(ctx.project.services);
  await Promise.all(
    names.map(async (s) => {
      const svc = ctx.project.services[s];
      if (!svc?.image || (svc.build && !(await ctx.images.resolve(svc.image)))) return;
      ctx.emit({ kind: 'pull', service: s, image: svc.image });
      const t0 = performance.now();
      try {
        await ctx.images.pull(svc.image, o.signal ? { signal: o.signal } : {});
        ctx.emit({ kind: 'op-done', op: 'pull', target: svc.image, ms: Math.round(performance.now() - t0) });
      } catch (e) {
        ctx.emit({ kind: 'op-failed', op: 'pull', target: svc.image, error: (e as Error).message });
        if (!o.ignoreFailures) throw e;
        ctx.emit({ kind: 'warning', message: `service ${s}: pull ${svc.image}: ${(e as Error).message}` });
      }
    }),
  );
}

export async function imageRows(ctx: EngineContext): Promise<readonly ImageRow[]> {
  const rows: ImageRow[] = [];
  for (const c of await projectContainers(ctx)) {
    const id = c.labels[LABELS.image] ?? '';
    const img = await ctx.images.resolve(id);
    const ref = img?.references[0] ? familiarName(img.references[0]) : '<none>';
    const at = ref.lastIndexOf(':');
    rows.push({
      Container: c.id,
      Repository: at > 0 && !ref.slice(at).includes('/') ? ref.slice(0, at) : ref,
      Tag: at > 0 && !ref.slice(at).includes('/') ? ref.slice(at + 1) : '<none>',
      ID: id.replace(/^sha256:/, '').slice(0, 12),
      Size: img?.size ?? 0,
    });
  }
  return rows.sort((a, b) => byCodeUnit(a.Container, b.Container));
}
