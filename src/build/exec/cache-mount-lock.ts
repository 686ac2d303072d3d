// Cache mounts (`RUN --mount=type=cache`): one dir per id under build/cache-mounts, kept between
// builds. Created with the mount's mode and owner (BuildKit applies them on creation only).
// Sharing within this build process: `shared` lets every RUN use the dir at once, `locked` makes
// the next writer wait for the previous one, `private` gives a busy id's second user a fresh
// scratch dir of its own (dropped with the build).
import { chown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunMount } from '../dockerfile/types.ts';

type CacheMount = Extract<RunMount, { type: 'cache' }>;

const busy = new Map<string, number>();
const queues = new Map<string, Promise<void>>();
let counter = 0;

async function makeDir(dir: string, m: CacheMount): Promise<void> {
  const made = await mkdir(dir, { recursive: true, mode: m.mode ?? 0o755 });
  if (made !== undefined && (m.uid !== undefined || m.gid !== undefined)) await chown(dir, m.uid ?? 0, m.gid ?? 0);
}

export async function withCacheMount(
  root: string,
  scratch: string,
  m: CacheMount,
): Promise<{ dir: string; release: () => void }> {
  const name = Buffer.from(m.id ?? m.target)
    .toString('hex')
    .slice(0, 120);
  const dir = join(root, name);
  if (m.sharing === 'private' && (busy.get(dir) ?? 0) > 0) {
    const own = join(scratch, `cache-${process.pid}-${++counter}`);
    await makeDir(own, m);
    return { dir: own, release: () => undefined };
  }
  let unlock = (): void => undefined;
  if (m.sharing === 'locked') {
    const before = queues.get(dir) ?? Promise.resolve();
    const mine = new Promise<void>((r) => (unlock = r));
    queues.set(
      dir,
      before.then(() => mine),
    );
    await before;
  }
  await makeDir(dir, m);
  busy.set(dir, (busy.get(dir) ?? 0) + 1);
  let done = false;
  return {
    dir,
    release: () => {
      if (done) return;
      done = true;
      busy.set(dir, (busy.get(dir) ?? 1) - 1);
      unlock();
    },
  };
}
