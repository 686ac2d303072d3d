// What every attribute normalizer shares: the project's name, directory and variables, the
// source positions, and one way to fail (a ConfigError at the key path being read).
import { ConfigError } from '../../common/errors.ts';
import { formatKeyPath, type KeyPath, type PositionLookup } from '../raw.ts';
import { resolvePath } from '../paths.ts';

import { isDict, type Dict } from '../merge-forms.ts';
export { isDict, type Dict } from '../merge-forms.ts';

export interface NormalizeContext {
  readonly projectName: string;
  readonly projectDir: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly positions: PositionLookup;
  /** Services of inactive profiles (see depends-on.ts). */
  readonly disabledServices: ReadonlySet<string>;
}

/** A ConfigError naming the file:line:col and key path of the value being normalized. */
export function configError(ctx: NormalizeContext, path: KeyPath, detail: string): ConfigError {
  return new ConfigError(detail, { position: ctx.positions(path), keyPath: formatKeyPath(path) });
}

/** An absolute path: `~` is the user's home, relative paths start at the project directory. */
export function absolutePath(ctx: NormalizeContext, p: string): string {
  return resolvePath(ctx.projectDir, p, ctx.environment.HOME);
}

export function asString(ctx: NormalizeContext, path: KeyPath, v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw configError(ctx, path, `must be a string`);
}

/** YAML may give `true` or the strings "true"/"false" (interpolated values). */
export function asBool(ctx: NormalizeContext, path: KeyPath, v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'True' || v === 'TRUE' || v === '1') return true;
  if (v === 'false' || v === 'False' || v === 'FALSE' || v === '0') return false;
  throw configError(ctx, path, `must be a boolean`);
}

export function asInt(ctx: NormalizeContext, path: KeyPath, v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^[-+]?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isInteger(n)) throw configError(ctx, path, `must be an integer`);
  return n;
}

export function asNumber(ctx: NormalizeContext, path: KeyPath, v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw configError(ctx, path, `must be a number`);
  return n;
}

/** A string or a list of strings, as a list. */
export function stringList(ctx: NormalizeContext, path: KeyPath, v: unknown): string[] {
  if (Array.isArray(v)) return v.map((e, i) => asString(ctx, [...path, i], e));
  return [asString(ctx, path, v)];
}

/** `K=V` list or mapping → record; `null` values kept (bare keys), numbers and booleans as text. */
export function keyValues(ctx: NormalizeContext, path: KeyPath, v: unknown): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (Array.isArray(v)) {
    v.forEach((e, i) => {
      const s = asString(ctx, [...path, i], e);
      const eq = s.indexOf('=');
      out[eq < 0 ? s : s.slice(0, eq)] = eq < 0 ? null : s.slice(eq + 1);
    });
    return out;
  }
  if (!isDict(v)) throw configError(ctx, path, 'must be a mapping or a list of KEY=VALUE');
  for (const [k, e] of Object.entries(v))
    out[k] = e === null || e === undefined ? null : asString(ctx, [...path, k], e);
  return out;
}

/** Like keyValues, with a bare key meaning the empty string (labels, sysctls, annotations). */
export function stringMap(ctx: NormalizeContext, path: KeyPath, v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, e] of Object.entries(keyValues(ctx, path, v))) out[k] = e ?? '';
  return out;
}

/** A copy of the `x-*` keys of a mapping, or undefined when there are none. */
export function extensionsOf(v: Dict): Dict | undefined {
  const keys = Object.keys(v).filter((k) => k.startsWith('x-'));
  if (keys.length === 0) return undefined;
  return Object.fromEntries(keys.map((k) => [k, structuredClone(v[k])]));
}

/** Copies only the defined entries (exactOptionalPropertyTypes: absent, never `undefined`). */
export function defined<T extends object>(o: { [K in keyof T]: T[K] | undefined }): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}
