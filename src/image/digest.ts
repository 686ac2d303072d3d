// sha256 digests: validation, hashing while data streams, and the hex part used in file names.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { RuntimeError } from '../common/errors.ts';

const SHA256 = /^sha256:[0-9a-f]{64}$/;

export function isSha256Digest(d: string): boolean {
  return SHA256.test(d);
}

/** The hex part of a digest, after checking it is a sha256 digest (it becomes a file name). */
export function digestHex(digest: string, what = 'digest'): string {
  if (!SHA256.test(digest))
    throw new RuntimeError(`unsupported or malformed ${what} "${digest}" (only sha256 is supported)`);
  return digest.slice(7);
}

export function sha256Of(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** A pass-through stream that hashes and counts what flows through it. */
export class HashingStream extends Transform {
  private readonly hash: Hash = createHash('sha256');
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    cb(null, chunk);
  }
  /** Only valid once the stream has ended. */
  digest(): string {
    return `sha256:${this.hash.digest('hex')}`;
  }
}
