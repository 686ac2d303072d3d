// Byte sizes as Compose reads them ("512m", "1.5g", "2GB", 1024) → bytes; suffixes are binary
// (k = 1024), case-insensitive, an optional trailing "b" allowed, as go-units' RAMInBytes.
import type { KeyPath } from '../raw.ts';
import { configError, type NormalizeContext } from './context.ts';

const POWER: Readonly<Record<string, number>> = { '': 0, b: 0, k: 1, m: 2, g: 3, t: 4, p: 5 };

export function parseBytes(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)(i?b)?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? '').toLowerCase() || (m[3] ? 'b' : '');
  return Math.floor(Number(m[1]) * 1024 ** POWER[unit]!);
}

/** A byte size; `allowUnlimited` accepts -1 (memswap_limit). */
export function bytes(ctx: NormalizeContext, path: KeyPath, v: unknown, allowUnlimited = false): number {
  if (typeof v === 'number' && Number.isInteger(v) && (v >= 0 || (allowUnlimited && v === -1))) return v;
  if (allowUnlimited && v === '-1') return -1;
  const n = typeof v === 'string' ? parseBytes(v) : undefined;
  if (n === undefined) throw configError(ctx, path, `invalid size ${JSON.stringify(v)} (use e.g. 512m, 1g, 1048576)`);
  return n;
}
