// sha256 digests: hashing, and the hex part (checked) used in file names.
import { sha256 } from '../common/lazy-crypto.ts';
import { RuntimeError } from '../common/errors.ts';

const SHA256 = /^sha256:[0-9a-f]{64}$/;

/** The hex part of a digest, after checking it is a sha256 digest (it becomes a file name). */
export function digestHex(digest: string, what = 'digest'): string {
  if (!SHA256.test(digest))
    throw new RuntimeError(`unsupported or malformed ${what} "${digest}" (only sha256 is supported)`);
  return digest.slice(7);
}

export function sha256Of(data: Buffer | string): string {
  return `sha256:${sha256().update(data).digest('hex')}`;
}
