// Helpers both cgroup versions share: waiting for a group to empty and removing its directory.
import type { Host } from '../host.ts';
import { parsePids } from './types.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A group another deleter removed between our exists() and our open: ENOENT once its directory is gone, ENODEV
 * from an interface file of a group the kernel is tearing down (seen as "delete cgroup: ENODEV" when `rm -f` and a
 * --rm container's own removal raced under load).
 */
export function groupGone(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENODEV';
}

/** Writes an interface file of a group that may be going away: a gone group needs no write. */
export async function writeUnlessGone(host: Host, path: string, data: string): Promise<void> {
  if (!host.exists(path)) return;
  await host.writeFile(path, data).catch((err: unknown) => {
    if (!groupGone(err)) throw err;
  });
}

/** The group's pids; none once the group is gone. */
export async function listedPids(host: Host, procs: string): Promise<number[]> {
  if (!host.exists(procs)) return [];
  return host.readFile(procs).then(parsePids, (err: unknown) => {
    if (groupGone(err)) return [];
    throw err;
  });
}

/** Waits until `procs` lists no process; killed processes take a moment to be reaped. */
export async function waitEmpty(host: Host, procs: string, timeoutMs = 5000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if ((await listedPids(host, procs)).length === 0) return true;
    if (Date.now() > until) return false;
    await sleep(5);
  }
}

/**
 * rmdir that tolerates a missing dir and waits out EBUSY while the kernel finishes teardown. Unlike the
 * interface files (groupGone), rmdir needs no ENODEV case: the kernel answers an rmdir of a group already
 * being removed with success (cgroup_rmdir finds no live group and returns 0), and of a removed one with ENOENT.
 * It waits as long as waitEmpty does: a killed process may take longer than a second to be reaped on a loaded
 * machine, and a removal given up leaves the group on the host (an empty one was found after five concurrent
 * builds' warm-up ups, 2026-12-06, at load 15–18).
 */
export async function removeDir(host: Host, dir: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await host.rmdir(dir);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY' || Date.now() > until) throw err;
      await sleep(5);
    }
  }
}

export async function readNumber(host: Host, path: string): Promise<number | undefined> {
  if (!host.exists(path)) return undefined;
  const text = (await host.readFile(path)).trim();
  return text === 'max' ? undefined : Number(text);
}
