// Helpers both cgroup versions share: waiting for a group to empty and removing its directory.
import type { Host } from '../host.ts';
import { parsePids } from './types.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `procs` lists no process; killed processes take a moment to be reaped. */
export async function waitEmpty(host: Host, procs: string, timeoutMs = 5000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (!host.exists(procs) || parsePids(await host.readFile(procs)).length === 0) return true;
    if (Date.now() > until) return false;
    await sleep(5);
  }
}

/** rmdir that tolerates a missing dir and waits out EBUSY while the kernel finishes teardown. */
export async function removeDir(host: Host, dir: string): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await host.rmdir(dir);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY' || i >= 200) throw err;
      await sleep(5);
    }
  }
}

export async function readNumber(host: Host, path: string): Promise<number | undefined> {
  if (!host.exists(path)) return undefined;
  const text = (await host.readFile(path)).trim();
  return text === 'max' ? undefined : Number(text);
}
