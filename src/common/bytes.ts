// Byte sizes as Docker and Compose read them ("512m", "1.5g", "2GB", "1024") → bytes, or
// undefined: suffixes are binary (k = 1024), case-insensitive, an optional trailing "b" or "ib",
// the fraction truncated, as go-units' RAMInBytes. One parser for compose fields, tmpfs sizes and
// `container run --memory`, so the same text means the same size everywhere.
const POWER: Readonly<Record<string, number>> = { '': 0, b: 0, k: 1, m: 2, g: 3, t: 4, p: 5 };

export function parseBytes(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)(i?b)?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? '').toLowerCase() || (m[3] ? 'b' : '');
  return Math.floor(Number(m[1]) * 1024 ** POWER[unit]!);
}
