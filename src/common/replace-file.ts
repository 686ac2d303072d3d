// Replacing a small state file (container state, supervision set, lock-free records): a temp file
// renamed over the old one, so a reader never sees half a file. On a full filesystem (ENOSPC: a
// container filled the state root) no temp file can be written, yet stop, kill and down must
// still record what they did: the file is then rewritten in place, in the blocks it already has,
// which needs no new space as long as the new content fits in them.
import { closeSync, fchmodSync, ftruncateSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { PRIVATE_FILE } from './private-files.ts';

let writes = 0;

const isFull = (e: unknown): boolean => ['ENOSPC', 'EDQUOT'].includes((e as NodeJS.ErrnoException).code ?? '');

function writeAll(fd: number, buf: Buffer): void {
  for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off, buf.length - off, off);
}

/** Writes `data` to `path` atomically (mode 0600 unless given), in place when the disk is full. */
export function replaceFile(path: string, data: string, mode = PRIVATE_FILE): void {
  const buf = Buffer.from(data);
  const tmp = `${path}.${process.pid}.${++writes}.tmp`;
  try {
    const fd = openSync(tmp, 'w', mode);
    try {
      fchmodSync(fd, mode);
      writeAll(fd, buf);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    if (!isFull(err)) throw err;
    rewriteInPlace(path, buf, err);
  }
}

function rewriteInPlace(path: string, buf: Buffer, full: unknown): void {
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch {
    throw full; // no old file to reuse: the disk is full
  }
  try {
    writeAll(fd, buf);
    ftruncateSync(fd, buf.length);
  } finally {
    closeSync(fd);
  }
}
