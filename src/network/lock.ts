// A host-wide lock for everything that changes networks. Host-wide (not per state root) because
// bridges, routes and firewall rules are host-global: two gantry processes, even with different
// GANTRY_ROOTs, must never pick the same subnet at the same time. O_EXCL file holding the pid;
// a holder that died (kill -9) is detected and its lock taken over.
import { open, readFile, unlink, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RuntimeError } from '../common/errors.ts';

export const DEFAULT_LOCK_FILE = '/run/lock/gantry-network.lock';
/** An empty lock file this old lost its holder between create and write (killed there): stale. */
const EMPTY_STALE_MS = 10_000;

export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

async function emptyForLong(file: string): Promise<boolean> {
  const st = await stat(file).catch(() => undefined);
  return st !== undefined && st.size === 0 && Date.now() - st.mtimeMs > EMPTY_STALE_MS;
}

async function tryAcquire(file: string): Promise<number | undefined> {
  try {
    const fh = await open(file, 'wx');
    await fh.writeFile(String(process.pid));
    await fh.close();
    return undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    // An empty file is a holder between open and write: not stale, just wait — unless it stays
    // empty far longer than that takes (a holder killed right there blocked every host's run).
    if (Number.isInteger(holder) && holder > 0 && !alive(holder)) await unlink(file).catch(() => undefined);
    else if (!(holder > 0) && (await emptyForLong(file))) await unlink(file).catch(() => undefined);
    return holder;
  }
}

export async function withLock<T>(file: string, fn: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  await mkdir(dirname(file), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const holder = await tryAcquire(file);
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
