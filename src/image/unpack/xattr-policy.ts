// Which extended attributes a layer may carry onto the host's disk. Kept: user.* (application
// data) and security.capability (file capabilities, as Docker and containerd apply them; the
// kernel checks the value's format). Dropped: trusted.* (overlayfs reads trusted.overlay.* as
// its own instructions; gantry writes the only one it needs itself), user.overlay.* (the same for
// overlay's userxattr mode), system.* ACLs and the other security.* labels, which would grant or
// label things on the host rather than inside the container. A malformed name (control bytes,
// too long) is refused: only a hostile archive writes one.
import { refuse } from './entry-path.ts';

/** XATTR_NAME_MAX and XATTR_SIZE_MAX of Linux. */
export const MAX_XATTR_NAME = 255;
export const MAX_XATTR_VALUE = 65536;

export type XattrVerdict = 'keep' | 'drop';

export function xattrVerdict(label: string, entry: string, name: string, value: Buffer): XattrVerdict {
  const bytes = Buffer.byteLength(name);
  if (bytes === 0 || bytes > MAX_XATTR_NAME) throw refuse(label, entry, `has an xattr name of ${bytes} bytes`);
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    throw refuse(label, entry, `has an xattr name with a control character (${JSON.stringify(name).slice(0, 80)})`);
  }
  if (value.length > MAX_XATTR_VALUE) {
    throw refuse(label, entry, `has a ${value.length}-byte value for xattr "${name}"`);
  }
  if (name === 'security.capability') return 'keep';
  if (name.startsWith('user.') && name.length > 5 && !name.startsWith('user.overlay.')) return 'keep';
  return 'drop';
}
