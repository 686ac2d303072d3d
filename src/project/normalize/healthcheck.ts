// `healthcheck`: a string test becomes ["CMD-SHELL", test]; durations become milliseconds;
// `disable: true` is the same as test ["NONE"], and both are kept as written. Docker's floors hold:
// a duration is 0 (the default) or at least 1 ms, retries are not negative.
import type { HealthCheck } from '../model.ts';
import type { KeyPath } from '../raw.ts';
import { asBool, asInt, asString, configError, defined, isDict, type NormalizeContext } from './context.ts';
import { duration } from './durations.ts';

export function normalizeHealthcheck(ctx: NormalizeContext, path: KeyPath, v: unknown): HealthCheck {
  if (!isDict(v)) throw configError(ctx, path, 'must be a mapping');
  const dur = (k: string): number | undefined =>
    v[k] === undefined ? undefined : probeDuration(ctx, [...path, k], v[k]);
  return defined<HealthCheck>({
    test: test(ctx, [...path, 'test'], v.test),
    interval: dur('interval'),
    timeout: dur('timeout'),
    start_period: dur('start_period'),
    start_interval: dur('start_interval'),
    retries: v.retries === undefined ? undefined : retries(ctx, [...path, 'retries'], v.retries),
    disable: v.disable === undefined ? undefined : asBool(ctx, [...path, 'disable'], v.disable),
  });
}

/** dockerd's MinimumDuration: a 1 ns interval would have the supervisor probe without pause. */
const MINIMUM_MS = 1;

function probeDuration(ctx: NormalizeContext, path: KeyPath, v: unknown): number {
  const ms = duration(ctx, path, v);
  if (ms !== 0 && ms < MINIMUM_MS)
    throw configError(ctx, path, `must be 0 (the default) or at least 1ms, not ${JSON.stringify(v)}`);
  return ms;
}

function retries(ctx: NormalizeContext, path: KeyPath, v: unknown): number {
  const n = asInt(ctx, path, v);
  if (n < 0) throw configError(ctx, path, `cannot be negative (${n})`);
  return n;
}

function test(ctx: NormalizeContext, path: KeyPath, v: unknown): readonly string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return ['CMD-SHELL', v];
  if (!Array.isArray(v) || v.length === 0)
    throw configError(ctx, path, 'must be a string or a list starting with NONE, CMD or CMD-SHELL');
  const list = v.map((e, i) => asString(ctx, [...path, i], e));
  if (!['NONE', 'CMD', 'CMD-SHELL'].includes(list[0]!))
    throw configError(ctx, path, `must start with NONE, CMD or CMD-SHELL, not "${list[0]}"`);
  return list;
}
