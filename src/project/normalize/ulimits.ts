// `ulimits`: a single number sets both limits; {soft, hard} must keep soft ≤ hard.
import type { Ulimit } from '../model.ts';
import type { KeyPath } from '../raw.ts';
import { asInt, configError, isDict, type NormalizeContext } from './context.ts';

export function normalizeUlimits(ctx: NormalizeContext, path: KeyPath, v: unknown): Record<string, Ulimit> {
  if (!isDict(v)) throw configError(ctx, path, 'must be a mapping');
  const out: Record<string, Ulimit> = {};
  for (const [name, e] of Object.entries(v)) {
    const p = [...path, name];
    if (!isDict(e)) {
      const n = asInt(ctx, p, e);
      out[name] = { soft: n, hard: n };
      continue;
    }
    const soft = asInt(ctx, [...p, 'soft'], e.soft);
    const hard = asInt(ctx, [...p, 'hard'], e.hard);
    if (soft > hard && hard !== -1) throw configError(ctx, p, `soft limit ${soft} is above hard limit ${hard}`);
    out[name] = { soft, hard };
  }
  return out;
}
