// `build`: a string is the context; a local context becomes absolute (a URL or git remote is
// kept); args are a map whose bare keys take the project's variables; dockerfile_inline, target,
// labels, tags and no_cache as written. Other build keys are reported by unsupported.ts.
import type { BuildConfig } from '../model.ts';
import type { KeyPath } from '../raw.ts';
import { isRemote } from '../paths.ts';
import { absolutePath, asBool, asString, configError, defined, isDict, keyValues, stringList, type NormalizeContext } from './context.ts';
const labelMap = (m: Record<string, string | null>): Record<string, string> =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v ?? '']));

export function normalizeBuild(ctx: NormalizeContext, path: KeyPath, v: unknown): BuildConfig {
  const b = typeof v === 'string' ? { context: v } : v;
  if (!isDict(b)) throw configError(ctx, path, 'must be a context path or a mapping');
  const context = b.context === undefined ? '.' : asString(ctx, [...path, 'context'], b.context);
  let args: Record<string, string | null> | undefined;
  if (b.args !== undefined && b.args !== null) {
    args = {};
    for (const [k, value] of Object.entries(keyValues(ctx, [...path, 'args'], b.args))) args[k] = value ?? ctx.environment[k] ?? null;
  }
  return defined<BuildConfig>({
    context: isRemote(context) ? context : absolutePath(ctx, context),
    dockerfile: b.dockerfile === undefined ? undefined : asString(ctx, [...path, 'dockerfile'], b.dockerfile),
    args,
    dockerfile_inline: b.dockerfile_inline === undefined ? undefined : asString(ctx, [...path, 'dockerfile_inline'], b.dockerfile_inline),
    target: b.target === undefined ? undefined : asString(ctx, [...path, 'target'], b.target),
    labels: b.labels === undefined || b.labels === null ? undefined : labelMap(keyValues(ctx, [...path, 'labels'], b.labels)),
    tags: b.tags === undefined ? undefined : stringList(ctx, [...path, 'tags'], b.tags),
    no_cache: b.no_cache === undefined ? undefined : asBool(ctx, [...path, 'no_cache'], b.no_cache),
  });
}
