// Named volumes (local driver): a directory `<volumes>/<name>/_data` plus meta.json (project,
// labels, whether it was filled yet). On first use a volume is populated from the image's
// content at the mount point, as Docker does. Bind sources that are missing are created.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { stateDirs } from '../common/state-root.ts';
import { RuntimeError } from '../common/errors.ts';
import { checkName } from '../common/names.ts';
import { mkdirPrivate, writePrivate } from '../common/private-files.ts';
import { removeInside } from '../common/remove-inside.ts';

const run = promisify(execFile);

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

export function createVolume(root: string, name: string, project: string, labels: Readonly<Record<string, string>> = {}): void {
  mkdirPrivate(dirOf(root, name));
  mkdirSync(volumeData(root, name), { recursive: true, mode: 0o755 }); // the mount point: the container's own
  if (!readVolume(root, name)) writeMeta(root, { name, project, labels, populated: false });
}

export function listVolumes(root: string): readonly VolumeMeta[] {
  const dir = stateDirs(root).volumes;
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((n) => readVolume(root, n)).filter((m): m is VolumeMeta => m !== undefined);
}

export function removeVolume(root: string, name: string): void {
  removeInside(stateDirs(root).volumes, dirOf(root, name));
}

/** External volumes must exist already, as in Compose. */
export function requireVolume(root: string, name: string): void {
  if (!readVolume(root, name)) throw new RuntimeError(`volume ${name} is external but does not exist`);
}

/**
 * First use: copy what the image has at `target` (each layer, lowest first, so upper layers win)
 * into the empty volume. Later uses leave the volume's content alone.
 */
export function populateVolume(root: string, name: string, layers: readonly string[], target: string): Promise<void> {
  // Containers sharing a new volume are created in parallel: one fills it, the others wait for that.
  const key = `${root}\0${name}`;
  const next = (filling.get(key) ?? Promise.resolve()).then(() => fill(root, name, layers, target));
  filling.set(key, next.catch(() => undefined));
  return next;
}

const filling = new Map<string, Promise<void>>();

async function fill(root: string, name: string, layers: readonly string[], target: string): Promise<void> {
  const meta = readVolume(root, name);
  if (!meta || meta.populated) return;
  const data = volumeData(root, name);
  if (readdirSync(data).length === 0) {
    for (const layer of layers) {
      const src = join(layer, target);
      if (existsSync(src)) await run('cp', ['-a', '--', `${src}/.`, `${data}/`]);
    }
  }
  writeMeta(root, { ...meta, populated: true });
}

export function ensureBindSource(path: string, create: boolean): void {
  if (existsSync(path)) return;
  if (!create) throw new RuntimeError(`bind mount source ${path} does not exist`);
  mkdirSync(path, { recursive: true });
}
