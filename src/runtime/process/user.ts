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
  const parts = partsOf(rel);
  if (!parts) return undefined;
  for (const layer of [...layers].reverse()) {
    const found = readInLayer(layer, parts);
    if (found !== ABSENT) return found;
  }
  return undefined;
}

function partsOf(rel: string): readonly string[] | undefined {
  const parts = rel.split('/').filter((c) => c !== '' && c !== '.');
  return parts.length === 0 || parts.includes('..') ? undefined : parts;
}

/**
 * A running container's file, as readFromLayers([...layers, upper]) finds it: the writable layer
 * read each time (a user added inside the container resolves), the image's layers below it through
 * readImageFile's memo. Each exec walked every layer for passwd and group: ≈ 25 of the 31 openat of
 * every healthcheck probe, 1,100 a second for 60 busybox containers (issue 20, bench/RESULTS.md "many12").
 */
export function readContainerFile(layers: readonly string[], upper: string, rel: string): string | undefined {
  const parts = partsOf(rel);
  if (!parts) return undefined;
  const found = readInLayer(upper, parts);
  return found === ABSENT ? readImageFile(layers, rel) : found;
}

/**
 * An image's file (passwd, group) as readFromLayers finds it, kept for the process per layer list:
 * each create (HOME) and each start (the user) walked passwd and group through every layer, ≈ 40
 * syscalls a container, 74 ms of a 60-service `up -d`'s main thread at load 10 (issue 20,
 * bench/RESULTS.md "big10"). An image's layers are content-addressed and an overlay's lower dirs
 * must not change while mounted, so the same list reads the same text. Only texts found are kept
 * (an absence may be a passing error); a writable layer (exec's) is never in the list.
 */
const imageFiles = new Map<string, string>();
const IMAGE_FILES_KEPT = 256; // a long-lived process (the Node API) meets a bounded set

export function readImageFile(layers: readonly string[], rel: string): string | undefined {
  const key = `${rel}\0${layers.join('\0')}`;
  const kept = imageFiles.get(key);
  if (kept !== undefined) return kept;
  const text = readFromLayers(layers, rel);
  if (text === undefined) return undefined;
  if (imageFiles.size >= IMAGE_FILES_KEPT) imageFiles.clear();
  imageFiles.set(key, text);
  return text;
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

/** 0..4294967294: 4294967295 is (uid_t)-1, "unchanged" to setresuid; more would wrap to root. */
export const ID_MAX = 4294967294;
const isId = (s: string | undefined): s is string => s !== undefined && /^[0-9]{1,10}$/.test(s) && Number(s) <= ID_MAX;

/**
 * The well-formed lines of a passwd (name:pw:uid:gid…) or group (name:pw:gid…) file. A line whose name is
 * empty or whose id is not a number in range is skipped, never read as 0 (`Number('')` is 0:
 * a uid of `abc` or of nothing would have meant root).
 */
function rows(text: string | undefined, fields: number, idAt: readonly number[]): string[][] {
  return (text ?? '')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(':'))
    .filter((r) => r.length >= fields && r[0] !== '' && idAt.every((i) => isId(r[i])));
}

function numericId(kind: 'user' | 'group', s: string): number {
  if (!isId(s)) throw new Error(`${kind} ${s}: ids must be 0..${ID_MAX}`);
  return Number(s);
}

export function resolveUser(
  spec: string | undefined,
  passwd: string | undefined,
  group: string | undefined,
  extra: readonly string[] = [],
): ResolvedUser {
  const parts = (spec ?? '0').split(':');
  if (parts.length > 2 || parts.some((p) => p === '' || p.includes('\0')))
    throw new Error(`user ${JSON.stringify(spec)}: expected uid[:gid] or name[:group]`);
  const [userPart = '0', groupPart] = parts;
  const users = rows(passwd, 4, [2, 3]);
  const groups = rows(group, 3, [2]);
  const numeric = /^[0-9]+$/.test(userPart);
  const entry = users.find((u) => u[0] === userPart) ?? (numeric ? users.find((u) => u[2] === userPart) : undefined);
  if (!entry && !numeric) throw new Error(`unable to find user ${userPart}: no matching entries in passwd file`);
  const uid = entry ? Number(entry[2]) : numericId('user', userPart);
  const gid = groupPart !== undefined ? groupId(groupPart, groups) : entry ? Number(entry[3]) : 0;
  const name = entry?.[0];
  const member = name ? groups.filter((g) => (g[3] ?? '').split(',').includes(name)).map((g) => Number(g[2])) : [];
  const all = [...new Set([gid, ...member, ...extra.map((g) => groupId(g, groups))])];
  if (all.length > 256) throw new Error(`user ${userPart}: in ${all.length} groups, at most 256 are supported`);
  return { uid, gid, groups: all, home: entry?.[5] || '/' };
}

function groupId(name: string, groups: string[][]): number {
  if (/^[0-9]+$/.test(name)) return numericId('group', name);
  const g = groups.find((row) => row[0] === name);
  if (!g) throw new Error(`unable to find group ${name}: no matching entries in group file`);
  return Number(g[2]);
}

/** The user's home from the image's passwd, as Docker puts it in HOME when the env has none. */
export function userHome(layers: readonly string[], user: string | undefined): string {
  try {
    return resolveUser(user, readImageFile(layers, 'etc/passwd'), readImageFile(layers, 'etc/group')).home;
  } catch {
    return '/';
  }
}
