// `gantry volume ls|create|inspect|rm|prune` over the state root's volumes. A volume is in use
// while a container (running or not) mounts its directory, as Docker counts it; rm refuses
// those, prune skips them (and, as Docker's default, keeps named volumes unless `all`).
import type { Runtime } from '../../runtime/index.ts';
import { RuntimeError } from '../../common/errors.ts';
import { createVolume, listVolumes, readVolume, removeVolume, volumeData, type VolumeMeta } from '../ops/volumes.ts';
import { ANON_LABELS } from '../ops/anon-volumes.ts';

export interface VolumeRow extends VolumeMeta {
  readonly mountpoint: string;
  readonly anonymous: boolean;
  readonly usedBy: readonly string[];
}

async function users(rt: Runtime, root: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const byData = new Map(listVolumes(root).map((v) => [volumeData(root, v.name), v.name]));
  for (const c of await rt.list()) {
    for (const m of rt.spec(c.id).mounts ?? []) {
      const name = m.source !== undefined ? byData.get(m.source) : undefined;
      if (name) out.set(name, [...(out.get(name) ?? []), c.id]);
    }
  }
  return out;
}

export async function volumeRows(rt: Runtime, root: string): Promise<VolumeRow[]> {
  const used = await users(rt, root);
  return listVolumes(root).map((v) => ({
    ...v,
    mountpoint: volumeData(root, v.name),
    anonymous: v.labels[ANON_LABELS.container] !== undefined,
    usedBy: used.get(v.name) ?? [],
  }));
}

export function createNamedVolume(root: string, name: string, labels: Readonly<Record<string, string>>): void {
  if (readVolume(root, name)) return; // as Docker: creating an existing volume is not an error
  createVolume(root, name, '', labels);
}

export async function removeVolumes(
  rt: Runtime,
  root: string,
  names: readonly string[],
  force: boolean,
): Promise<void> {
  const used = await users(rt, root);
  for (const n of names) {
    if (!readVolume(root, n)) {
      if (force) continue;
      throw new RuntimeError(`volume ${n}: no such volume`);
    }
    const by = used.get(n);
    if (by) throw new RuntimeError(`volume ${n} is in use by ${by.join(', ')}`);
  }
  for (const n of names) if (readVolume(root, n)) removeVolume(root, n);
}

/** Unused anonymous volumes (`all`: unused named ones too); returns the removed names. */
export async function pruneVolumes(rt: Runtime, root: string, all: boolean): Promise<string[]> {
  const rows = await volumeRows(rt, root);
  const gone = rows.filter((r) => r.usedBy.length === 0 && (all || r.anonymous));
  for (const r of gone) removeVolume(root, r.name);
  return gone.map((r) => r.name);
}

/** The host's volumes as the volume commands see them; the runtime they check usage against is made
 *  here, as the CLI never makes one itself. */
export interface Volumes {
  rows(): Promise<VolumeRow[]>;
  create(name: string, labels: Readonly<Record<string, string>>): void;
  remove(names: readonly string[], force: boolean): Promise<void>;
  prune(all: boolean): Promise<string[]>;
}

export async function openVolumes(root: string): Promise<Volumes> {
  const { createRuntime } = await import('../../runtime/index.ts');
  const rt = createRuntime({ root });
  return {
    rows: () => volumeRows(rt, root),
    create: (name, labels) => createNamedVolume(root, name, labels),
    remove: (names, force) => removeVolumes(rt, root, names, force),
    prune: (all) => pruneVolumes(rt, root, all),
  };
}
