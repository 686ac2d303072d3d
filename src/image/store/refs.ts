// The store's index.json: an OCI index whose entries carry the normalized reference in the
// org.opencontainers.image.ref.name annotation. Updated under a lock, written atomically.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Descriptor, Index } from '../manifest.ts';
import { MT } from '../manifest.ts';
import { withLock } from './lock.ts';
import { writeAtomic, type Layout } from './layout.ts';
import { byCodeUnit } from '../../common/compare.ts';

export const REF_ANNOTATION = 'org.opencontainers.image.ref.name';

export interface RefEntry {
  readonly ref: string;
  readonly manifest: Descriptor; // the platform manifest
}

function refsOf(text: string | undefined): RefEntry[] {
  if (text === undefined) return [];
  const index = JSON.parse(text) as Index;
  return index.manifests.flatMap((m) => {
    const ref = m.annotations?.[REF_ANNOTATION];
    if (ref === undefined) return [];
    const { annotations: _a, ...desc } = m;
    return [{ ref, manifest: desc }];
  });
}

const readIndex = (l: Layout): Promise<string | undefined> => readFile(l.index, 'utf8').catch(() => undefined);

export async function readRefs(l: Layout): Promise<RefEntry[]> {
  return refsOf(await readIndex(l));
}

function indexText(refs: readonly RefEntry[]): string {
  const index: Index = {
    schemaVersion: 2,
    mediaType: MT.ociIndex,
    manifests: [...refs]
      .sort((a, b) => byCodeUnit(a.ref, b.ref))
      .map((r) => ({ ...r.manifest, annotations: { [REF_ANNOTATION]: r.ref } })),
  };
  return `${JSON.stringify(index, null, 2)}\n`;
}

/**
 * Read-modify-write of the index under the store's index lock. An update that changes nothing (a
 * cached build naming the same image again) writes nothing: no temp file, no fsync, no rename.
 */
export async function updateRefs(l: Layout, fn: (refs: RefEntry[]) => RefEntry[]): Promise<void> {
  await withLock(join(l.locks, 'index.lock'), async () => {
    const before = await readIndex(l);
    const text = indexText(fn(refsOf(before)));
    if (text !== before) await writeAtomic(l, l.index, text);
  });
}

export async function setRef(l: Layout, ref: string, manifest: Descriptor): Promise<void> {
  const { annotations: _a, platform: _p, ...plain } = manifest;
  await updateRefs(l, (refs) => [...refs.filter((r) => r.ref !== ref), { ref, manifest: plain }]);
}
