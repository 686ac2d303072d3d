// `build`: a string is the context; a local context becomes absolute (a URL or git remote is
// kept); args are a map whose bare keys take the project's variables. Other build keys are
// reported by unsupported.ts until the image builder implements them.
import type { BuildConfig } from '../model.ts';
import type { KeyPath } from '../raw.ts';
import { isRemote } from '../paths.ts';
import { absolutePath, asString, configError, defined, isDict, keyValues, type NormalizeContext } from './context.ts';


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
  });
}
