// Cache mounts (`RUN --mount=type=cache`): one dir per id under build/cache-mounts, kept between
// builds. Created with the mount's mode and owner (BuildKit applies them on creation only).
// Sharing within this build process: `shared` lets every RUN use the dir at once, `locked` makes
// the next writer wait for the previous one, `private` gives a busy id's second user a fresh
// scratch dir of its own (dropped with the build). A cache mount `from=STAGE` starts as a copy
// of that stage's `source` path: its dir is its own per source content (BuildKit keys the cache
// by id and the from snapshot), filled once, then kept like any other.
import { createHash } from 'node:crypto';
import { chmod, chown, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RunMount } from '../dockerfile/types.ts';

type CacheMount = Extract<RunMount, { type: 'cache' }>;

const busy = new Map<string, number>();
const queues = new Map<string, Promise<void>>();
let counter = 0;

/** What a `from=` cache mount starts with: the source's identity, and how to copy it into a dir. */
export interface CacheSeed {
  readonly key: string;
  readonly fill: (dir: string) => Promise<void>;
}

async function makeDir(dir: string, m: CacheMount, scratch: string, seed?: CacheSeed): Promise<void> {
  if (!seed) {
    const made = await mkdir(dir, { recursive: true, mode: m.mode ?? 0o755 });
    if (made !== undefined && (m.uid !== undefined || m.gid !== undefined)) await chown(dir, m.uid ?? 0, m.gid ?? 0);
    return;
  }
  const exists = (): Promise<boolean> =>
    stat(dir).then(
      () => true,
      () => false,
    );
  if (await exists()) return;
  // Filled aside, then moved in: a build killed mid-copy leaves no half-seeded cache, and of two
  // RUNs seeding it at once the first rename wins.
  const tmp = join(scratch, `seed-${process.pid}-${++counter}`);
  await mkdir(tmp);
  await seed.fill(tmp);
  await chmod(tmp, m.mode ?? 0o755);
  if (m.uid !== undefined || m.gid !== undefined) await chown(tmp, m.uid ?? 0, m.gid ?? 0);
  await mkdir(dirname(dir), { recursive: true });
  await rename(tmp, dir).catch(async (e: unknown) => {
    if (!(await exists())) throw e;
    await rm(tmp, { recursive: true, force: true });
  });
}

export async function withCacheMount(
  root: string,
  scratch: string,
  m: CacheMount,
  seed?: CacheSeed,
): Promise<{ dir: string; release: () => void }> {
  const id = Buffer.from(m.id ?? m.target)
    .toString('hex')
    .slice(0, 120);
  const from = seed ? `-${createHash('sha256').update(seed.key).digest('hex').slice(0, 24)}` : '';
  const dir = join(root, `${id}${from}`);
  if (m.sharing === 'private' && (busy.get(dir) ?? 0) > 0) {
    const own = join(scratch, `cache-${process.pid}-${++counter}`);
    await makeDir(own, m, scratch, seed);
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
  await makeDir(dir, m, scratch, seed);
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
