// Reading a step's filesystem without mounting it: a path looked up through the stack of layer
// directories, topmost first, as overlayfs would show it (a 0/0 char device or a non-directory
// above hides what is below). Opaque directories are not consulted: lookups here serve parent
// metadata, "is the destination a directory" and /etc/passwd, where they do not matter.
import { lstat, readFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';

export interface Found {
  readonly path: string;
  readonly stat: Stats;
}

/** rel: slash path without a leading slash. */
export async function lookup(layers: readonly string[], rel: string): Promise<Found | undefined> {
  const parts = rel.split('/').filter(Boolean);
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    const st = await lstat(join(layer, ...parts)).catch(() => undefined);
    if (st) return st.isCharacterDevice() && st.rdev === 0 ? undefined : { path: join(layer, ...parts), stat: st };
    // Something on the way in this layer that is not a directory hides the lower layers' path.
    for (let k = parts.length - 1; k > 0; k--) {
      const up = await lstat(join(layer, ...parts.slice(0, k))).catch(() => undefined);
      if (up) {
        if (!up.isDirectory()) return undefined;
        break;
      }
    }
  }
  return undefined;
}

export async function readInStack(layers: readonly string[], rel: string): Promise<string | undefined> {
  const f = await lookup(layers, rel);
  return f?.stat.isFile() ? readFile(f.path, 'utf8') : undefined;
}

/** `--chown` / USER names → numeric ids through the stage's /etc/passwd and /etc/group. */
export async function resolveOwner(layers: readonly string[], spec: string): Promise<{ uid: number; gid: number }> {
  const [user = '', group] = spec.split(':');
  const field = async (file: string, name: string, col: number): Promise<number | undefined> => {
    if (/^\d+$/.test(name)) return Number(name);
    const text = (await readInStack(layers, file)) ?? '';
    const line = text.split('\n').find((l) => l.split(':')[0] === name);
    const v = line?.split(':')[col];
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  const uid = await field('etc/passwd', user, 2);
  if (uid === undefined) throw new Error(`unable to find user ${user}: no matching entries in passwd file`);
  let gid: number | undefined;
  if (group !== undefined) {
    gid = await field('etc/group', group, 2);
    if (gid === undefined) throw new Error(`unable to find group ${group}: no matching entries in group file`);
  } else if (/^\d+$/.test(user)) gid = uid;
  else gid = await field('etc/passwd', user, 3);
  return { uid, gid: gid ?? uid };
}
