// Lock files that survive kill -9 at any instant: a lock appears only complete (written to a
// temp file, then linked into place: link fails if the lock exists), and a dead holder's lock
// is taken over by renaming it aside and checking that what moved is still the dead one's.
// Used by the project lock (engine), the host-wide network lock and the image store's locks.
import {
  linkSync,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Creates `file` holding `content` unless it exists; false when it exists (or its dir is gone). */
export function tryLinkLock(file: string, content: string): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeTemp(tmp, content);
    linkSync(tmp, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOENT') throw e;
    return false;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * The lock's content in a file; on a full disk (a container filled the state root) in a symlink's
 * target instead, which lives in the inode and needs no data block, so stop, kill and down still
 * take the lock. link(2) links the symlink itself.
 */
function writeTemp(tmp: string, content: string): void {
  try {
    writeFileSync(tmp, content, { mode: 0o600 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOSPC' && code !== 'EDQUOT') throw e;
    rmSync(tmp, { force: true });
    symlinkSync(content, tmp);
  }
}

/** The lock's content (from a file or a symlink), or undefined when there is no lock. */
export function lockContent(file: string): string | undefined {
  try {
    return readlinkSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EINVAL') return undefined;
  }
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Milliseconds since the lock was last written (an empty one by an older gantry is judged by age). */
function lockAgeMs(file: string): number {
  try {
    return Date.now() - lstatSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** Older gantry versions created a lock empty and wrote their pid after: give them time. */
const EMPTY_GRACE_MS = 5_000;

/**
 * For a lock holding a pid: takes it over when that pid is dead (or when it is empty past the
 * grace: its maker was killed before writing). Returns the holder's pid, 0 when unknown.
 */
export function takeOverIfDead(file: string, alive: (pid: number) => boolean): number {
  const content = lockContent(file);
  if (content === undefined) return 0; // released meanwhile
  const holder = Number(content.trim());
  const dead =
    content.trim() === '' ? lockAgeMs(file) > EMPTY_GRACE_MS : Number.isInteger(holder) && holder > 0 && !alive(holder);
  if (dead) takeOver(file, content);
  return Number.isInteger(holder) ? holder : 0;
}

/** Removes a lock whose content is `dead`; false when it changed meanwhile (then it is kept). */
export function takeOver(file: string, dead: string): boolean {
  const aside = `${file}.${process.pid}.stale`;
  try {
    renameSync(file, aside);
  } catch {
    return false;
  }
  if (lockContent(aside) === dead) {
    rmSync(aside, { force: true });
    return true;
  }
  try {
    linkSync(aside, file); // a live holder's lock: put back
  } catch {}
  rmSync(aside, { force: true });
  return false;
}

/** Temp and aside files of lock attempts whose process was killed mid-way. */
export function removeDeadAttempts(file: string, alive: (pid: number) => boolean): void {
  const base = basename(file);
  let names: string[] = [];
  try {
    names = readdirSync(dirname(file));
  } catch {}
  for (const n of names) {
    if (!n.startsWith(`${base}.`)) continue;
    const pid = /^\.(\d+)\.(?:tmp|stale)$/.exec(n.slice(base.length))?.[1];
    if (pid !== undefined && !alive(Number(pid))) rmSync(join(dirname(file), n), { force: true });
  }
}

/**
 * Whether a lease's holder is gone. Its content is "PID" or "PID OWNER": the process that took it
 * and, for a lease that outlives that process, what holds it after (a container); gone when the
 * pid is dead and the owner, if named, too (ownerGone). Not for empty locks (see takeOverIfDead).
 */
export function holderGone(
  content: string | undefined,
  alive: (pid: number) => boolean,
  ownerGone: (owner: string) => boolean = () => true,
): boolean {
  const [pid = '', owner] = (content ?? '').trim().split(' ');
  const n = Number(pid);
  if (!Number.isInteger(n) || n <= 0 || alive(n)) return false;
  return owner === undefined || ownerGone(owner);
}

/** Takes a lease (lock file) from a gone holder (holderGone); true when it was taken over. */
export function takeOverGone(
  file: string,
  alive: (pid: number) => boolean,
  ownerGone?: (owner: string) => boolean,
): boolean {
  const content = lockContent(file);
  return content !== undefined && holderGone(content, alive, ownerGone) && takeOver(file, content);
}
