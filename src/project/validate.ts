// Stage: JSON-schema validation of the merged document against gantry's compose schema
// (schemas/compose.schema.json, compiled ahead of time by scripts/generate/compile-schema.mjs).
// Throws one ConfigError for the most specific violation; cross-field checks live in check.ts.
import { ConfigError, InternalError, type SourcePosition } from '../common/errors.ts';
import { validate } from './generated/compose-validator.js';
import { formatKeyPath, type RawProject } from './raw.ts';
import { mostSpecificCause, type Cause } from './schema-errors.ts';
import { checkDeviceRequests } from './check-device-requests.ts';

export function validateProject(raw: RawProject): void {
  if (validate(raw.data)) return checkDeviceRequests(raw);
  const cause = mostSpecificCause(validate.errors ?? [], raw.data);
  if (!cause) throw new InternalError('compose schema validation failed without reporting an error');
  const keyPath = formatKeyPath(cause.path);
  throw new ConfigError(cause.detail, {
    position: positionOf(raw, cause),
    keyPath: keyPath === '' ? undefined : keyPath,
  });
}

// An unknown key is pointed at by its key; anything else by its value.
function positionOf(raw: RawProject, cause: Cause): SourcePosition | undefined {
  const last = cause.pointAt[cause.pointAt.length - 1];
  if (cause.atKey && last !== undefined) {
    const pos = raw.keyPositions(cause.pointAt);
    if (pos) return pos;
  }
  return raw.positions(cause.pointAt);
}
