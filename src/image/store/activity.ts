// Marks a store operation in flight (pull, load, import), so prune never deletes the blobs and
// layers it has written but not yet referenced. A marker of a dead PID is ignored.
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomHex } from '../../common/lazy-crypto.ts';
import type { Layout } from './layout.ts';
import { removeInsideAsync } from '../../common/remove-inside.ts';

export async function withActivity<T>(l: Layout, fn: () => Promise<T>): Promise<T> {
  const marker = join(l.locks, `active-${process.pid}-${randomHex(4)}`);
  await writeFile(marker, `${process.pid}\n`);
  try {
    return await fn();
  } finally {
    await rm(marker, { force: true });
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** PIDs (other than ours) with an operation in flight; markers of killed processes are removed. */
export async function activeOthers(l: Layout): Promise<number[]> {
  const names = await readdir(l.locks).catch(() => [] as string[]);
  const live: number[] = [];
  for (const n of names.filter((x) => x.startsWith('active-'))) {
    const pid = Number.parseInt(n.split('-')[1] ?? '', 10);
    if (!pidAlive(pid)) await rm(join(l.locks, n), { force: true });
    else if (pid !== process.pid) live.push(pid);
  }
  return live;
}

/** Leftovers in tmp/ of processes that died mid-write (names carry the writer's PID). */
export async function cleanDeadTemps(l: Layout): Promise<void> {
  for (const n of await readdir(l.tmp).catch(() => [] as string[])) {
    const pid = Number.parseInt(n.split('-')[1] ?? '', 10);
    if (Number.isInteger(pid) && !pidAlive(pid)) await removeInsideAsync(l.tmp, join(l.tmp, n));
  }
}
