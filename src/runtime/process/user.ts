// `user:` resolution as Docker does it: uid[:gid] or names, looked up in the CONTAINER's
// /etc/passwd and /etc/group (read from its layers, top first), plus supplementary groups.
import { readFileSync, lstatSync } from 'node:fs';
import { join } from 'node:path';

export interface ResolvedUser {
  readonly uid: number;
  readonly gid: number;
  readonly groups: readonly number[];
  readonly home: string;
}

/**
 * A file as the merged rootfs would show it: the topmost layer that has it wins; a whiteout hides
 * it. Layers are the image's: a symlink on the way (`etc -> /etc`) would be followed on the HOST,
 * so every component is lstat'ed and a link ends the search (the file counts as absent).
 */
export function readFromLayers(layers: readonly string[], rel: string): string | undefined {
  const parts = rel.split('/').filter((c) => c !== '' && c !== '.');
  if (parts.includes('..')) return undefined;
  for (const layer of [...layers].reverse()) {
    let p = layer;
    for (const [i, c] of parts.entries()) {
      p = join(p, c);
      let st;
      try {
        st = lstatSync(p);
      } catch {
        break; // not in this layer: look in the one below
      }
      if (st.isCharacterDevice() && st.rdev === 0) return undefined; // overlay whiteout
      if (i === parts.length - 1) return st.isFile() ? readFileSync(p, 'utf8') : undefined;
      if (!st.isDirectory()) return undefined; // a link (or a file) where a directory should be
    }
  }
  return undefined;
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
