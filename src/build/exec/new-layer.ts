// A layer made without running anything (COPY, ADD, WORKDIR): a fresh directory that holds only
// what the step writes. Parents it must create take the mode and owner the stack below shows
// (a WORKDIR under /tmp keeps /tmp 1777), so overlay composes them without changing anything.
import { chmod, chown, lstat, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { lookup } from './layer-stack.ts';

/** Creates every directory of `rel` (slash path) in `layer`, copying metadata from `stack`. */
export async function ensureDirs(
  layer: string,
  stack: readonly string[],
  rel: string,
  last?: { uid: number; gid: number },
): Promise<void> {
  const parts = rel.split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const sub = parts.slice(0, i).join('/');
    const abs = join(layer, ...parts.slice(0, i));
    if (
      await lstat(abs).then(
        () => true,
        () => false,
      )
    )
      continue;
    const below = await lookup(stack, sub);
    await mkdir(abs);
    if (below?.stat.isDirectory()) {
      await chmod(abs, below.stat.mode & 0o7777);
      await chown(abs, below.stat.uid, below.stat.gid);
    } else {
      await chmod(abs, 0o755);
      if (i === parts.length && last) await chown(abs, last.uid, last.gid);
    }
  }
}
