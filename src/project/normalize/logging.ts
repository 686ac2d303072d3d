// `logging`: the driver and its options as written (option values as strings). For the drivers
// gantry writes itself (json-file, local, or none given) max-size and max-file are checked here,
// so a bad size fails at load naming the field; other drivers are kept, and warned about.
import type { LoggingConfig } from '../model.ts';
import type { KeyPath } from '../raw.ts';
import { parseBytes } from '../../common/bytes.ts';
import { asString, configError, isDict, type NormalizeContext } from './context.ts';

/** Drivers whose rotation options gantry honours with its own log files. */
export const FILE_LOG_DRIVERS: readonly string[] = ['json-file', 'local'];

export function normalizeLogging(ctx: NormalizeContext, path: KeyPath, v: unknown): LoggingConfig {
  if (!isDict(v)) throw configError(ctx, path, 'must be a mapping');
  const driver = v.driver === undefined || v.driver === null ? undefined : asString(ctx, [...path, 'driver'], v.driver);
  let options: Record<string, string> | undefined;
  if (v.options !== undefined && v.options !== null) {
    if (!isDict(v.options)) throw configError(ctx, [...path, 'options'], 'must be a mapping');
    options = {};
    for (const [k, o] of Object.entries(v.options)) {
      if (o === null || o === undefined) continue;
      if (typeof o !== 'string' && typeof o !== 'number')
        throw configError(ctx, [...path, 'options', k], 'must be a string or a number');
      options[k] = String(o);
    }
  }
  if (driver === undefined || FILE_LOG_DRIVERS.includes(driver)) {
    const size = options?.['max-size'];
    if (size !== undefined && size !== '-1' && !(Number(parseBytes(size)) > 0)) {
      throw configError(
        ctx,
        [...path, 'options', 'max-size'],
        `invalid size "${size}" (use e.g. 10m, 1g; -1 for no limit)`,
      );
    }
    const files = options?.['max-file'];
    if (files !== undefined && !(/^\d+$/.test(files) && Number(files) >= 1)) {
      throw configError(
        ctx,
        [...path, 'options', 'max-file'],
        `must be a whole number of files, at least 1, not "${files}"`,
      );
    }
  }
  return { ...(driver !== undefined ? { driver } : {}), ...(options ? { options } : {}) };
}
