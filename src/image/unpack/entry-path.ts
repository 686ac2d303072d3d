// Tar entry names → safe relative paths inside one layer directory. Absolute names and any
// ".." component are refused outright (never "cleaned"), as an archive that tries is hostile.
import { RuntimeError } from '../../common/errors.ts';

export class LayerEntryError extends RuntimeError {}

export function refuse(label: string, entry: string, why: string): LayerEntryError {
  // A hostile name may hold newlines: the error stays one line.
  const shown = JSON.stringify(entry.length > 200 ? `${entry.slice(0, 200)}…` : entry);
  return new LayerEntryError(`image ${label}: layer entry ${shown} ${why}; refusing to unpack`);
}

/** Path components of an entry name; [] is the layer root itself. */
export function entryParts(label: string, name: string, what = 'path'): string[] {
  if (name.startsWith('/')) throw refuse(label, name, `has an absolute ${what}`);
  if (name.includes('\0')) throw refuse(label, name, `has a NUL byte in its ${what}`);
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw refuse(label, name, `has a ".." component in its ${what}`);
  return parts;
}

export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';
