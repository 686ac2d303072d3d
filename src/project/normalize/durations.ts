// Go-style durations ("1m30s", "1.5h", "500ms") ↔ milliseconds, the model's one time unit.
import type { KeyPath } from '../raw.ts';
import { configError, type NormalizeContext } from './context.ts';

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Parses a duration (a plain number means seconds, as Compose reads integers) into ms. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  if (s === '' || !/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  // Round to whole nanoseconds, the finest unit a duration can name.
  return Math.round(total * 1e6) / 1e6;
}

export function duration(ctx: NormalizeContext, path: KeyPath, v: unknown): number {
  const ms = typeof v === 'number' ? v * 1000 : typeof v === 'string' ? parseDuration(v) : undefined;
  if (ms === undefined || ms < 0)
    throw configError(ctx, path, `invalid duration ${JSON.stringify(v)} (use e.g. 1m30s, 10s, 500ms)`);
  return ms;
}

/** ms → the shortest Go-style text: 90000 → "1m30s", 1500 → "1.5s", 0.25 → "250us". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let ns = Math.round(ms * 1e6);
  let out = '';
  const h = Math.floor(ns / 3.6e12);
  if (h) out += `${h}h`;
  ns -= h * 3.6e12;
  const m = Math.floor(ns / 6e10);
  if (m) out += `${m}m`;
  ns -= m * 6e10;
  if (ns === 0) return out;
  if (ns % 1e6 === 0 && ns < 1e9 && out === '') return `${ns / 1e6}ms`;
  if (ns % 1e3 === 0 && ns < 1e6 && out === '') return `${ns / 1e3}us`;
  if (ns < 1e6 && out === '') return `${ns}ns`;
  return `${out}${trimZeros((ns / 1e9).toFixed(9))}s`;
}

const trimZeros = (s: string): string => s.replace(/\.?0+$/, '');
