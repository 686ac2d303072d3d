// Directories and files under the state root are root's alone: directories 0700, files that hold
// a container's environment, secrets or plans 0600. The mode is given at creation (so no other
// user ever sees a wider one) and then set exactly, whatever the umask.
import { chmodSync, closeSync, fchmodSync, mkdirSync, openSync, promises as fs, writeSync } from 'node:fs';

export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

/** mkdir -p with 0700 for every directory it creates, and 0700 on `dir` itself. */
export function mkdirPrivate(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  chmodSync(dir, PRIVATE_DIR);
}

export async function mkdirPrivateAsync(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR });
  await fs.chmod(dir, PRIVATE_DIR);
}

/** Writes (creates or truncates) `file` with mode 0600 from its first byte on. */
export function writePrivate(file: string, data: string | Uint8Array): void {
  const fd = openSync(file, 'w', PRIVATE_FILE);
  try {
    fchmodSync(fd, PRIVATE_FILE);
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off, buf.length - off);
  } finally {
    closeSync(fd);
  }
}
