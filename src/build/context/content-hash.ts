// Digests of a build context: each regular file's content (sha256, through the stat cache), and
// one digest for a set of entries (sorted path, type, mode, uid/gid, link target, content digest),
// which is what a COPY's cache key takes: a changed byte, mode or owner changes it, a touch does not.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { StatCache } from './stat-cache.ts';
import type { ContextEntry } from './walk.ts';

const PARALLEL = 8;

async function fileDigest(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return `sha256:${h.digest('hex')}`;
}

/** Content digests of the regular files among `entries`, by path. */
export async function contentDigests(
  root: string,
  entries: readonly ContextEntry[],
  cache: StatCache,
): Promise<ReadonlyMap<string, string>> {
  const out = new Map<string, string>();
  const todo = entries.filter((e) => {
    if (e.type !== 'file') return false;
    const hit = cache.get(join(root, e.path), e);
    if (hit !== undefined) out.set(e.path, hit);
    return hit === undefined;
  });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length) {
      const e = todo[next++]!;
      const abs = join(root, e.path);
      const digest = await fileDigest(abs);
      cache.set(abs, e, digest);
      out.set(e.path, digest);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, todo.length) }, worker));
  return out;
}

/** One digest for a set of entries; paths are taken relative to `base` (a COPY source's root). */
export function fileSetDigest(
  entries: readonly ContextEntry[],
  digests: ReadonlyMap<string, string>,
  base = '',
): string {
  const h = createHash('sha256');
  const rel = (p: string): string => (base === '' ? p : p === base ? '.' : p.slice(base.length + 1));
  const lines = entries.map((e) =>
    [
      rel(e.path),
      e.type,
      e.mode.toString(8),
      e.uid,
      e.gid,
      e.type === 'symlink' ? e.linkTarget : e.type === 'file' ? (digests.get(e.path) ?? '') : '',
    ].join('\0'),
  );
  for (const line of lines.sort()) h.update(`${line}\n`);
  return `sha256:${h.digest('hex')}`;
}
