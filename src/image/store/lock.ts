// Cross-process locks as files created with O_EXCL and holding the owner's PID. A lock whose
// PID is dead (a killed gantry) is stale and taken over, so no crash wedges the store.
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { RuntimeError } from '../../common/errors.ts';
import { pidAlive as alive } from './activity.ts';

async function tryCreate(path: string): Promise<boolean> {
  try {
    const fh = await open(path, 'wx');
    await fh.writeFile(`${process.pid}\n`);
    await fh.close();
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Removes the lock if its owner is gone. Rename first, so two waiters never both remove it. */
async function breakIfStale(path: string): Promise<void> {
  const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
  // An empty file is a lock being written right now; leave it alone.
  if (!Number.isInteger(pid) || pid <= 0 || alive(pid)) return;
  const aside = `${path}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    await rename(path, aside);
  } catch {
    return; // someone else broke it first
  }
  const again = Number.parseInt(await readFile(aside, 'utf8').catch(() => ''), 10);
  if (again !== pid) {
    // We moved a fresh lock taken between our read and rename: put it back.
    await rename(aside, path).catch(() => undefined);
    return;
  }
  await unlink(aside).catch(() => undefined);
}

export interface LockOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/** Runs fn while holding the lock file at path. Waits (polling) while another live process holds it. */
export async function withLock<T>(path: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10 * 60_000);
  let delay = 5;
  while (!(await tryCreate(path))) {
    opts.signal?.throwIfAborted();
    if (Date.now() > deadline) throw new RuntimeError(`timed out waiting for lock ${path}`);
    await breakIfStale(path);
    await sleep(delay);
    delay = Math.min(delay * 2, 100);
  }
  try {
    return await fn();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}
