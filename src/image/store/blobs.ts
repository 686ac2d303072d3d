// Content-addressed blobs: every write goes to tmp/ and is renamed into blobs/sha256/<hex> only
// after its digest checks out, so an interrupted or corrupt transfer never shows a half blob.
import { createWriteStream } from 'node:fs';
import { access, readFile, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { sha256 } from '../../common/lazy-crypto.ts';
import { RuntimeError } from '../../common/errors.ts';
import { sha256Of } from '../digest.ts';
import { blobPath, tmpName, writeAtomic, type Layout } from './layout.ts';

export async function hasBlob(l: Layout, digest: string): Promise<boolean> {
  return access(blobPath(l, digest)).then(
    () => true,
    () => false,
  );
}

/** Stores bytes whose digest we compute ourselves; returns it. */
export async function putBlob(l: Layout, data: Buffer | string): Promise<string> {
  const digest = sha256Of(data);
  if (!(await hasBlob(l, digest))) await writeAtomic(l, blobPath(l, digest), data);
  return digest;
}

/** Reads a blob and re-checks its digest (small JSON blobs: manifests, configs). */
export async function readBlob(l: Layout, digest: string): Promise<Buffer> {
  const data = await readFile(blobPath(l, digest)).catch((err: unknown) => {
    throw new RuntimeError(`image store: blob ${digest} is missing`, { cause: err });
  });
  if (sha256Of(data) !== digest) throw new RuntimeError(`image store: blob ${digest} is corrupt (digest mismatch)`);
  return data;
}

export async function readJsonBlob<T>(l: Layout, digest: string): Promise<T> {
  return JSON.parse((await readBlob(l, digest)).toString('utf8')) as T;
}

/**
 * A blob being written while it streams elsewhere (to the unpacker): chunks go to a temp file
 * and a hash; commit() verifies and renames, abort() deletes.
 */
export class BlobWriter {
  private readonly hash = sha256();
  private readonly tmp: string;
  private readonly out;
  private readonly l: Layout;
  bytes = 0;
  constructor(l: Layout) {
    this.l = l;
    this.tmp = tmpName(l, 'blob');
    this.out = createWriteStream(this.tmp, { flags: 'wx' });
  }
  async write(chunk: Buffer): Promise<void> {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
  private sealed: Promise<string> | undefined;
  /** Ends the temp file and checks its digest (once); a mismatch deletes it. Nothing is renamed. */
  seal(expected: string | undefined, what: string): Promise<string> {
    this.sealed ??= (async () => {
      this.out.end();
      await once(this.out, 'close');
      const digest = `sha256:${this.hash.digest('hex')}`;
      if (expected !== undefined && digest !== expected) {
        await rm(this.tmp, { force: true });
        const got = `${digest} (${this.bytes} bytes)`;
        throw new RuntimeError(`${what}: digest mismatch: expected ${expected}, got ${got}; nothing kept`);
      }
      return digest;
    })();
    return this.sealed;
  }
  async commit(expected: string | undefined, what: string): Promise<string> {
    const digest = await this.seal(expected, what);
    await rename(this.tmp, blobPath(this.l, digest));
    return digest;
  }
  async abort(): Promise<void> {
    this.out.destroy();
    await rm(this.tmp, { force: true });
  }
}
