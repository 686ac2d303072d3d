// Named volumes (local driver): a directory `<volumes>/<name>/_data` plus meta.json (project,
// labels, whether it was filled yet). On first use a volume is populated from the image's
// content at the mount point, as Docker does. Bind sources that are missing are created.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtempSync, rmdirSync } from 'node:fs'; // the fill's private mount point
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyIn, InRootError, layerStack } from '../../common/in-root-fs.ts';
import { stateDirs } from '../../common/state-root.ts';
import { RuntimeError } from '../../common/errors.ts';
import { checkName } from '../../common/names.ts';
import { mkdirPrivate, writePrivate } from '../../common/private-files.ts';
import { removeInside } from '../../common/remove-inside.ts';

export interface VolumeMeta {
  readonly name: string;
  readonly project: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly populated: boolean;
}

// The API boundary: a volume's name is a directory name (never `..` or `a/b`), checked before any path.
const dirOf = (root: string, name: string): string => join(stateDirs(root).volumes, checkName('volume', name));
export const volumeData = (root: string, name: string): string => join(dirOf(root, name), '_data');

export function readVolume(root: string, name: string): VolumeMeta | undefined {
  try {
    return JSON.parse(readFileSync(join(dirOf(root, name), 'meta.json'), 'utf8')) as VolumeMeta;
  } catch {
    return undefined;
  }
}

const writeMeta = (root: string, m: VolumeMeta): void =>
  writePrivate(join(dirOf(root, m.name), 'meta.json'), JSON.stringify(m));

export function createVolume(
  root: string,
  name: string,
  project: string,
  labels: Readonly<Record<string, string>> = {},
): void {
  mkdirPrivate(dirOf(root, name));
  mkdirSync(volumeData(root, name), { recursive: true, mode: 0o755 }); // the mount point: the container's own
  if (!readVolume(root, name)) writeMeta(root, { name, project, labels, populated: false });
}

export function listVolumes(root: string): readonly VolumeMeta[] {
  const dir = stateDirs(root).volumes;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((n) => readVolume(root, n))
    .filter((m): m is VolumeMeta => m !== undefined);
}

export function removeVolume(root: string, name: string): void {
  removeInside(stateDirs(root).volumes, dirOf(root, name));
}

/**
 * First use: copy what the image has at `target` (each layer, lowest first, so upper layers win)
 * into the empty volume. Later uses leave the volume's content alone.
 */
export function populateVolume(root: string, name: string, layers: readonly string[], target: string): Promise<void> {
  // Containers sharing a new volume are created in parallel: one fills it, the others wait for that.
  const key = `${root}\0${name}`;
  const next = (filling.get(key) ?? Promise.resolve()).then(() => fill(root, name, layers, target));
  filling.set(
    key,
    next.catch(() => undefined),
  );
  return next;
}

const filling = new Map<string, Promise<void>>();

async function fill(root: string, name: string, layers: readonly string[], target: string): Promise<void> {
  const meta = readVolume(root, name);
  if (!meta || meta.populated) return;
  const data = volumeData(root, name);
  if (readdirSync(data).length === 0 && layers.length > 0) await copyFromImage(layers, target, data);
  writeMeta(root, { ...meta, populated: true });
}

/**
 * `cp -a IMAGE:target/. data/` as the container would see it: the layers merged by a read-only
 * overlay (whiteouts and opaque dirs apply), `target` resolved by the kernel inside that view, so
 * an image's `data -> /etc` copies the image's /etc, never the host's. A target the image lacks
 * (or that is not a directory there) leaves the volume empty.
 */
async function copyFromImage(layers: readonly string[], target: string, data: string): Promise<void> {
  const mnt = layers.length > 1 ? mkdtempSync(join(tmpdir(), 'gantry-fill-')) : undefined;
  try {
    const stack = mnt ? layerStack(layers, mnt) : undefined;
    const from = { root: mnt ?? layers[0]!, path: target };
    // cp -a: owners, modes, times, xattrs, nodes and hard links kept; the mount point's own too
    const all = { owners: true, contents: true, rootMeta: true, devices: true, xattrs: true, hardlinks: true } as const;
    await copyIn(from, { root: '/', path: data }, { ...all, followLink: true }, stack);
  } catch (e) {
    if (e instanceof InRootError && e.missing) return;
    throw new RuntimeError(`volume fill from the image at ${target}: ${(e as Error).message}`, { cause: e });
  } finally {
    if (mnt) rmdirSync(mnt);
  }
}

export function ensureBindSource(path: string, create: boolean): void {
  if (existsSync(path)) return;
  if (!create) throw new RuntimeError(`bind mount source ${path} does not exist`);
  mkdirSync(path, { recursive: true });
}
