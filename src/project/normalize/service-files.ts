// A service's `secrets` and `configs`: a name, or {source, target, uid, gid, mode}. Targets
// become absolute: secrets under /run/secrets/, configs at /<source> by default, as Compose mounts them.
import { posix } from 'node:path';
import type { ServiceFileRef } from '../model.ts';
import type { KeyPath } from '../raw.ts';
import { asString, configError, defined, isDict, type NormalizeContext } from './context.ts';

export function normalizeServiceFiles(
  ctx: NormalizeContext,
  path: KeyPath,
  v: unknown,
  kind: 'secrets' | 'configs',
): ServiceFileRef[] {
  if (!Array.isArray(v)) throw configError(ctx, path, 'must be a list');
  return v.map((e, i) => {
    const p = [...path, i];
    const d: Record<string, unknown> = isDict(e) ? e : { source: e };
    if (d.source === undefined) throw configError(ctx, p, 'missing source');
    const source = asString(ctx, [...p, 'source'], d.source);
    const target = d.target === undefined ? source : asString(ctx, [...p, 'target'], d.target);
    return defined<ServiceFileRef>({
      source,
      target: kind === 'secrets' ? posix.resolve('/run/secrets', target) : posix.resolve('/', target),
      uid: d.uid === undefined ? undefined : asString(ctx, [...p, 'uid'], d.uid),
      gid: d.gid === undefined ? undefined : asString(ctx, [...p, 'gid'], d.gid),
      mode: mode(ctx, [...p, 'mode'], d.mode),
    });
  });
}

function mode(ctx: NormalizeContext, path: KeyPath, v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^0?[0-7]{1,4}$/.test(v)) return parseInt(v, 8);
  throw configError(ctx, path, 'must be a file mode (e.g. 0440)');
}
