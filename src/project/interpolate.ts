// Interpolation of a loaded file: every string VALUE (never a key) goes through the template
// engine. Runs per file before merging, as compose-go does, so an error names the file, the
// line and column of the value, and its key path.
import { ConfigError, type SourcePosition } from '../common/errors.ts';
import { formatKeyPath, type KeyPath } from './raw.ts';
import { getPos } from './positions.ts';
import { substitute, TemplateError, type TemplateEnv } from './template.ts';

/** Replaces, in place, each string value of `data` by its substituted form. */
export function interpolateTree(data: Record<string, unknown>, env: TemplateEnv, start?: SourcePosition): void {
  walk(data, [], env, start);
}

function walk(
  container: Record<string, unknown> | unknown[],
  path: KeyPath,
  env: TemplateEnv,
  pos: SourcePosition | undefined,
): void {
  const keys: (string | number)[] = Array.isArray(container) ? container.map((_, i) => i) : Object.keys(container);
  for (const key of keys) {
    const value = (container as Record<string | number, unknown>)[key];
    const here = getPos(container, key) ?? pos;
    if (typeof value === 'string') {
      if (value.includes('$'))
        (container as Record<string | number, unknown>)[key] = interpolateValue(value, [...path, key], env, here);
    } else if (value !== null && typeof value === 'object') {
      walk(value as Record<string, unknown>, [...path, key], env, here);
    }
  }
}

/** Substitutes one value; errors name its position and key path. */
export function interpolateValue(
  value: string,
  path: KeyPath,
  env: TemplateEnv,
  pos: SourcePosition | undefined,
): string {
  try {
    return substitute(value, env);
  } catch (e) {
    if (e instanceof TemplateError) throw new ConfigError(e.message, { position: pos, keyPath: formatKeyPath(path) });
    throw e;
  }
}
