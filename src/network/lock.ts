// A host-wide lock for everything that changes networks. Host-wide (not per state root) because
// bridges, routes and firewall rules are host-global: two gantry processes, even with different
// GANTRY_ROOTs, must never pick the same subnet at the same time. A file holding the pid, made
// and taken over as common/lock-file.ts does, so a holder killed at any instant (kill -9) never
// leaves a lock nobody can judge. A waiter sleeps until the lock's name changes (common/lock-wait.ts):
// a 5 ms poll cost every waiter CPU and a wake-up per 5 ms for as long as an up or a build held it.
import { unlink, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RuntimeError } from '../common/errors.ts';
import { removeDeadAttempts, takeOverIfDead, tryLinkLock } from '../common/lock-file.ts';
import { watchLock } from '../common/lock-wait.ts';

export const DEFAULT_LOCK_FILE = '/run/lock/gantry-network.lock';

/**
 * How long a waiter sleeps without an event before it looks again: the bound on taking over from
 * a holder killed with kill -9, whose lock stays (a live holder's release wakes it at once).
 */
export const DEAD_HOLDER_CHECK_MS = 200;

export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** undefined once acquired; else the holder's pid (0: unknown yet). A dead holder's lock is taken over. */
function tryAcquire(file: string): number | undefined {
  return tryLinkLock(file, String(process.pid)) ? undefined : takeOverIfDead(file, alive);
}

/** onContended: called once the lock is found held by another process, before waiting for it. */
export async function withLock<T>(
  file: string,
  fn: () => Promise<T>,
  timeoutMs = 60_000,
  onContended?: () => void,
): Promise<T> {
  await mkdir(dirname(file), { recursive: true });
  removeDeadAttempts(file, alive);
  const deadline = Date.now() + timeoutMs;
  if (tryAcquire(file) !== undefined) {
    onContended?.();
    // Contended: the watch first, then attempts, so a release between the two is seen.
    const lock = watchLock(file);
    try {
      for (;;) {
        const holder = tryAcquire(file);
        if (holder === undefined) break;
        const left = deadline - Date.now();
        if (left < 0) throw new RuntimeError(`network: lock ${file} is held by pid ${holder} for too long`);
        await lock.wait(Math.min(left + 1, DEAD_HOLDER_CHECK_MS));
      }
    } finally {
      lock.close();
    }
  }
  try {
    return await fn();
  } finally {
    await unlink(file).catch(() => undefined);
  }
}
