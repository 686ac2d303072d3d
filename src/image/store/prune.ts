// Garbage collection: blobs and layer directories that no referenced image uses. Refuses to
// run while another process is pulling or loading (its blobs are not referenced yet).
import { readdir, lstat, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RuntimeError } from '../../common/errors.ts';
import type { ConfigFile, Manifest } from '../manifest.ts';
import { readJsonBlob } from './blobs.ts';
import { layerName, type Layout } from './layout.ts';
import { removeLayer } from './layers.ts';
import { readRefs, updateRefs } from './refs.ts';
import { activeOthers, cleanDeadTemps } from './activity.ts';
import { withLock } from './lock.ts';

async function duSize(path: string): Promise<number> {
  const st = await lstat(path).catch(() => undefined);
  if (!st) return 0;
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const e of await readdir(path, { withFileTypes: true })) {
    const p = join(path, e.name);
    total += e.isDirectory() ? await duSize(p) : (await lstat(p).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

async function inUse(l: Layout): Promise<{ blobs: Set<string>; layers: Set<string> }> {
  const blobs = new Set<string>();
  const layers = new Set<string>();
  for (const r of await readRefs(l)) {
    const m = await readJsonBlob<Manifest>(l, r.manifest.digest);
    const c = await readJsonBlob<ConfigFile>(l, m.config.digest);
    for (const d of [r.manifest.digest, m.config.digest, ...m.layers.map((x) => x.digest)]) blobs.add(d.slice(7));
    for (const d of c.rootfs?.diff_ids ?? []) layers.add(layerName(d));
  }
  return { blobs, layers };
}

export async function prune(l: Layout): Promise<{ removedLayers: number; bytes: number }> {
  const others = await activeOthers(l);
  if (others.length)
    throw new RuntimeError(
      `image prune: another gantry (pid ${others.join(', ')}) is pulling or loading; try again later`,
    );
  return withLock(join(l.locks, 'prune.lock'), async () => {
    await cleanDeadTemps(l);
    let bytes = 0;
    let removedLayers = 0;
    // Hold the index lock so no reference appears while we decide what is unused.
    await updateRefs(l, (refs) => refs);
    const used = await inUse(l);
    for (const hex of await readdir(l.blobs)) {
      if (used.blobs.has(hex)) continue;
      bytes += await duSize(join(l.blobs, hex));
      await rm(join(l.blobs, hex), { force: true });
    }
    for (const name of await readdir(l.layers)) {
      if (name.endsWith('.json')) {
        // A sidecar left by a process that died before renaming its layer into place.
        if (!used.layers.has(name.slice(0, -5))) await rm(join(l.layers, name), { force: true });
        continue;
      }
      if (used.layers.has(name)) continue;
      bytes += await duSize(join(l.layers, name));
      await removeLayer(l, name);
      removedLayers++;
    }
    return { removedLayers, bytes };
  });
}
