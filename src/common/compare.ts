// Orders strings by UTF-16 code unit, the way Go's sort.Strings orders bytes for ASCII names
// (what Docker Compose prints). Not localeCompare: its first call builds ICU's collator,
// ≈ 18 ms of every command that sorts anything on a 2-core machine (measured).
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
