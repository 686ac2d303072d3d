// `environment` (env_file values were merged in by the loader): a map; a bare key takes its
// value from the project's variables, and stays null (unset in the container) when there is none.
import type { KeyPath } from '../raw.ts';
import type { EnvFileRef } from '../model.ts';
import { asBool, asString, configError, isDict, keyValues, type NormalizeContext } from './context.ts';

export function normalizeEnvironment(ctx: NormalizeContext, path: KeyPath, v: unknown): Record<string, string | null> {
  if (v === undefined || v === null) return {};
  checkKeySpaces(ctx, path, v);
  const out: Record<string, string | null> = {};
  for (const [k, value] of Object.entries(keyValues(ctx, path, v))) out[k] = value ?? ctx.environment[k] ?? null;
  return out;
}

// `- DEBUG = true` sets a variable named "DEBUG " (with " true" as its value) that nothing reads:
// Compose refuses a name with spaces around it, as its .env reader does.
function checkKeySpaces(ctx: NormalizeContext, path: KeyPath, v: unknown): void {
  const keys: [string, KeyPath][] = Array.isArray(v)
    ? v.map((e, i) => [typeof e === 'string' ? e.split('=')[0]! : '', [...path, i]])
    : isDict(v)
      ? Object.keys(v).map((k) => [k, [...path, k]])
      : [];
  for (const [k, at] of keys)
    if (k !== k.trim()) throw configError(ctx, at, `environment variable name "${k}" cannot contain a space`);
}

/** The loader already made env_file long and absolute; this only types it. */
export function normalizeEnvFiles(ctx: NormalizeContext, path: KeyPath, v: unknown): EnvFileRef[] {
  const list = Array.isArray(v) ? v : [v];
  return list.map((e, i) => {
    if (!isDict(e)) return { path: asString(ctx, [...path, i], e), required: true };
    const ref: EnvFileRef = {
      path: asString(ctx, [...path, i, 'path'], e.path),
      required: e.required === undefined ? true : asBool(ctx, [...path, i, 'required'], e.required),
    };
    return e.format === undefined ? ref : { ...ref, format: asString(ctx, [...path, i, 'format'], e.format) };
  });
}
