// A service's `logging` → the runtime's log file settings. gantry writes every container's log
// itself, rotated: json-file and local options are honoured; without any, the cap is Docker's
// `local` driver default (20 MiB per file, 5 files: at most 100 MiB per container); `none` writes
// no file; any other driver (warned about at load) keeps that default.
import type { ContainerSpec } from '../../runtime/index.ts';
import type { ServiceConfig } from '../../project/model.ts';
import { parseBytes } from '../../common/bytes.ts';

export const DEFAULT_LOG_MAX_BYTES = 20 * 1024 * 1024;
export const DEFAULT_LOG_MAX_FILES = 5;

export function logOptions(svc: Pick<ServiceConfig, 'logging'>): NonNullable<ContainerSpec['log']> {
  const { driver, options = {} } = svc.logging ?? {};
  if (driver === 'none') return { none: true };
  const fallback = { maxBytes: DEFAULT_LOG_MAX_BYTES, maxFiles: DEFAULT_LOG_MAX_FILES };
  if (driver !== undefined && driver !== 'json-file' && driver !== 'local') return fallback;
  const size = options['max-size'];
  // max-size -1 is Docker's "no limit"; json-file alone defaults to one file once a size is set.
  const maxBytes = size === undefined ? fallback.maxBytes : size === '-1' ? 0 : (parseBytes(size) ?? fallback.maxBytes);
  const files = options['max-file'];
  const oneFile = driver === 'json-file' && size !== undefined;
  const maxFiles = files !== undefined ? Number(files) : oneFile ? 1 : fallback.maxFiles;
  return { maxBytes, maxFiles: Math.max(1, maxFiles) };
}
