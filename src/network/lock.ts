// A host-wide lock for everything that changes networks. Host-wide (not per state root) because
// bridges, routes and firewall rules are host-global: two gantry processes, even with different
// GANTRY_ROOTs, must never pick the same subnet at the same time. A file holding the pid, made
// and taken over as common/lock-file.ts does, so a holder killed at any instant (kill -9) never
// leaves a lock nobody can judge.
import { unlink, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RuntimeError } from '../common/errors.ts';
import { removeDeadAttempts, takeOverIfDead, tryLinkLock } from '../common/lock-file.ts';

export const DEFAULT_LOCK_FILE = '/run/lock/gantry-network.lock';

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

export async function withLock<T>(file: string, fn: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  await mkdir(dirname(file), { recursive: true });
  removeDeadAttempts(file, alive);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const holder = tryAcquire(file);
    if (holder === undefined) break;
    if (Date.now() > deadline) throw new RuntimeError(`network: lock ${file} is held by pid ${holder} for too long`);
    await sleep(5);
  }
  try {
    return await fn();
  } finally {
    await unlink(file).catch(() => undefined);
  }
}
