// node:crypto loads streams and a dozen internal modules (≈ 7 ms of a cold `gantry config` on a
// 2-core machine, measured), and seeding its generator or making its first hash costs more; yet most
// commands hash nothing, or only a few names and small JSON documents: a `down` neither hashes nor
// draws a random name, a `container run --rm` hashes ≈ 1.5 KB (the image's manifest and config, its
// short names). Modules on every command's path take their hashes and random suffixes from here:
// inputs up to SMALL bytes are hashed in plain JavaScript (sha256-small.ts: 0.5–1.5 ms cold for a
// run's inputs, against 7–10 ms for node:crypto's load and first hash; bench/RESULTS.md "run12"),
// anything larger loads node:crypto on first use; random suffixes are read from /dev/urandom (below)
// (test/e2e/down-builtins.test.ts, test/e2e/run-builtins.test.ts, test/e2e/up-builtins.test.ts).
import type { Hash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { sha256Small } from './sha256-small.ts';

/** Past this many bytes a hash moves to node:crypto: the plain-JavaScript one runs cold, ≈ 1 ms per 2 KB. */
const SMALL = 4096;

/** The part of node:crypto's Hash that gantry uses. */
export interface Sha256 {
  update(data: string | Uint8Array): Sha256;
  digest(): Buffer;
  digest(encoding: 'hex'): string;
}

class SmallFirstSha256 implements Sha256 {
  private chunks: Buffer[] = [];
  private size = 0;
  private big: Hash | undefined;
  update(data: string | Uint8Array): this {
    if (this.big) {
      this.big.update(data);
      return this;
    }
    const chunk = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size > SMALL) {
      this.big = process.getBuiltinModule('node:crypto').createHash('sha256');
      for (const c of this.chunks) this.big.update(c);
      this.chunks = [];
    }
    return this;
  }
  digest(): Buffer;
  digest(encoding: 'hex'): string;
  digest(encoding?: 'hex'): Buffer | string {
    const out = this.big ? this.big.digest() : sha256Small(Buffer.concat(this.chunks));
    return encoding === undefined ? out : out.toString(encoding);
  }
}

export function sha256(): Sha256 {
  return new SmallFirstSha256();
}

// Random suffixes come from the kernel's /dev/urandom (the source node:crypto's generator seeds from),
// POOL bytes per read. Why: the veth names of every bridged `up` were its only use of node:crypto,
// whose load and seeding (36 builtins) took 14–37 ms of the main thread between the network's rules
// and the attach of its containers at load 5 (issue 20, bench/RESULTS.md "up13"); one open, read
// and close here is ≈ 0.05 ms. Without /dev/urandom (a chroot with no /dev), node:crypto as before.
const POOL = 256;
let pool: Buffer = Buffer.alloc(0);

function urandom(bytes: number): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync('/dev/urandom', 'r');
    const out = Buffer.allocUnsafe(Math.max(POOL, bytes));
    return readSync(fd, out, 0, out.length, null) === out.length ? out : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** `bytes` random bytes as hex (temp-file suffixes, interface names). */
export function randomHex(bytes: number): string {
  if (pool.length < bytes) pool = urandom(bytes) ?? process.getBuiltinModule('node:crypto').randomBytes(bytes);
  const out = pool.subarray(0, bytes).toString('hex');
  pool = pool.subarray(bytes);
  return out;
}
