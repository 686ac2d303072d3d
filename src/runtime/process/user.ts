// `user:` resolution as Docker does it: uid[:gid] or names, looked up in the CONTAINER's
// /etc/passwd and /etc/group (read from its layers, top first), plus supplementary groups.
import { closeSync, constants as C, fstatSync, lstatSync, openSync, readFileSync } from 'node:fs';

export interface ResolvedUser {
  readonly uid: number;
  readonly gid: number;
  readonly groups: readonly number[];
  readonly home: string;
}

/**
 * A file as the merged rootfs would show it: the topmost layer that has it wins; a whiteout hides
 * it. A symlink on the way (`etc -> /etc`) would be followed on the HOST, so the path is walked by
 * fd: each directory opened O_NOFOLLOW through the previous one's /proc/self/fd entry. A running
 * container's writable layer (exec) may swap a directory for a link meanwhile: nothing is
 * resolved twice, so the swap only makes the file absent. A link anywhere counts as absent.
 */
export function readFromLayers(layers: readonly string[], rel: string): string | undefined {
  const parts = rel.split('/').filter((c) => c !== '' && c !== '.');
  if (parts.length === 0 || parts.includes('..')) return undefined;
  for (const layer of [...layers].reverse()) {
    const found = readInLayer(layer, parts);
    if (found !== ABSENT) return found;
  }
  return undefined;
}

const ABSENT = Symbol('absent');

function readInLayer(layer: string, parts: readonly string[]): string | undefined | typeof ABSENT {
  let dir: number;
  try {
    dir = openSync(layer, C.O_RDONLY | C.O_DIRECTORY);
  } catch {
    return ABSENT;
  }
  try {
    for (const [i, c] of parts.entries()) {
      const at = `/proc/self/fd/${dir}/${c}`;
      const st = lstatSync(at, { throwIfNoEntry: false });
      if (!st) return ABSENT; // not in this layer: look in the one below
      if (st.isCharacterDevice() && st.rdev === 0) return undefined; // overlay whiteout
      if (i === parts.length - 1) {
        if (!st.isFile()) return undefined;
        const fd = openSync(at, C.O_RDONLY | C.O_NOFOLLOW | C.O_NONBLOCK | C.O_NOCTTY);
        try {
          return fstatSync(fd).isFile() ? readFileSync(fd, 'utf8') : undefined;
        } finally {
          closeSync(fd);
        }
      }
      if (!st.isDirectory()) return undefined; // a link (or a file) where a directory should be
      const next = openSync(at, C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW);
      closeSync(dir);
      dir = next;
    }
    return undefined;
  } catch {
    return undefined; // swapped for a link meanwhile (ELOOP), or gone
  } finally {
    closeSync(dir);
  }
}

const rows = (text: string | undefined) =>
  (text ?? '').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(':'));

export function resolveUser(spec: string | undefined, passwd: string | undefined, group: string | undefined, extra: readonly string[] = []): ResolvedUser {
  const [userPart = '0', groupPart] = (spec ?? '0').split(':');
  const users = rows(passwd);
  const groups = rows(group);
  const entry = users.find((u) => u[0] === userPart) ?? (/^\d+$/.test(userPart) ? users.find((u) => u[2] === userPart) : undefined);
  if (!entry && !/^\d+$/.test(userPart)) throw new Error(`unable to find user ${userPart}: no matching entries in passwd file`);
  const uid = entry ? Number(entry[2]) : Number(userPart);
  const gid = groupPart !== undefined ? groupId(groupPart, groups) : entry ? Number(entry[3]) : 0;
  const name = entry?.[0];
  const member = name ? groups.filter((g) => (g[3] ?? '').split(',').includes(name)).map((g) => Number(g[2])) : [];
  const all = [...new Set([gid, ...member, ...extra.map((g) => groupId(g, groups))])];
  return { uid, gid, groups: all, home: entry?.[5] ?? '/' };
}

function groupId(name: string, groups: string[][]): number {
  if (/^\d+$/.test(name)) return Number(name);
  const g = groups.find((row) => row[0] === name);
  if (!g) throw new Error(`unable to find group ${name}: no matching entries in group file`);
  return Number(g[2]);
}

/** The user's home from the image's passwd, as Docker puts it in HOME when the env has none. */
export function userHome(layers: readonly string[], user: string | undefined): string {
  try {
    return resolveUser(user, readFromLayers(layers, 'etc/passwd'), readFromLayers(layers, 'etc/group')).home;
  } catch {
    return '/';
  }
}
