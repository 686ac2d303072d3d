// Byte-size fields of the compose file ("512m", 1024, -1 where unlimited is allowed).
import type { KeyPath } from '../raw.ts';
import { parseBytes } from '../../common/bytes.ts';
import { configError, type NormalizeContext } from './context.ts';

/** A byte size; `allowUnlimited` accepts -1 (memswap_limit). */
export function bytes(ctx: NormalizeContext, path: KeyPath, v: unknown, allowUnlimited = false): number {
  if (typeof v === 'number' && Number.isInteger(v) && (v >= 0 || (allowUnlimited && v === -1))) return v;
  if (allowUnlimited && v === '-1') return -1;
  const n = typeof v === 'string' ? parseBytes(v) : undefined;
  if (n === undefined) throw configError(ctx, path, `invalid size ${JSON.stringify(v)} (use e.g. 512m, 1g, 1048576)`);
  return n;
}
