// Cross-process locks of the image store: a file holding the owner's PID, made and taken over as
// common/lock-file.ts does. The lock appears only complete (a pull killed between creating the
// file and writing its PID left an empty lock that wedged every later pull of that layer), and
// a lock whose PID is dead (a killed gantry) is taken over, so no crash wedges the store.
import { unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { RuntimeError } from '../../common/errors.ts';
import { removeDeadAttempts, takeOverIfDead, tryLinkLock } from '../../common/lock-file.ts';
import { pidAlive as alive } from './activity.ts';

export interface LockOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/** Runs fn while holding the lock file at path. Waits (polling) while another live process holds it. */
export async function withLock<T>(path: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10 * 60_000);
  removeDeadAttempts(path, alive);
  let delay = 5;
  while (!tryLinkLock(path, `${process.pid}\n`)) {
    opts.signal?.throwIfAborted();
    if (Date.now() > deadline) throw new RuntimeError(`timed out waiting for lock ${path}`);
    takeOverIfDead(path, alive);
    await sleep(delay);
    delay = Math.min(delay * 2, 100);
  }
  try {
    return await fn();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}
