// `cp` between a service's container and the host, with Docker's path rules. Container paths are
// resolved by runtime/in-root.ts against /proc/PID/root, every level of a copied tree again, so a
// symlink inside the container is copied as a link or followed inside it, never out to the host.
import { promises as fs, type Stats } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import { hostPathIn, resolveInRoot, type Runtime } from '../runtime/index.ts';
import { RuntimeError } from '../common/errors.ts';
import { LABELS } from './labels.ts';

export interface CpRequest {
  readonly service: string;
  readonly index?: number;
  /** from: container → host; to: host → container. */
  readonly direction: 'from' | 'to';
  readonly containerPath: string;
  readonly hostPath: string;
  /** Keep uid/gid (else files belong to the copying side's root). */
  readonly archive?: boolean;
  /** Follow a symlink given as the source. */
  readonly followLink?: boolean;
}

/** One side of a copy: how its paths map to host paths. */
interface Place {
  /** A path of this side → [canonical path of this side, host path]. */
  resolve(p: string, followLast: boolean): readonly [string, string];
}

const hostPlace: Place = { resolve: (p) => [p, p] };
const containerPlace = (root: string): Place => ({
  resolve(p, followLast) {
    const c = resolveInRoot(root, p, followLast);
    return [c, hostPathIn(root, c)];
  },
});

const lstatOf = (p: string): Promise<Stats | undefined> => fs.lstat(p).catch(() => undefined);
const statOf = (p: string): Promise<Stats | undefined> => fs.stat(p).catch(() => undefined);

async function copyEntry(src: string, st: Stats, dst: Place, dstPath: string, archive: boolean): Promise<void> {
  const [canonical, target] = dst.resolve(dstPath, false);
  const existing = await lstatOf(target);
  if (st.isDirectory()) {
    if (existing && !existing.isDirectory()) await fs.rm(target);
    if (!existing?.isDirectory()) await fs.mkdir(target);
    for (const name of await fs.readdir(src)) {
      const childSrc = join(src, name);
      const childSt = await lstatOf(childSrc);
      if (childSt) await copyEntry(childSrc, childSt, dst, posix.join(canonical, name), archive);
    }
  } else {
    if (existing?.isDirectory()) throw new RuntimeError(`cannot overwrite directory ${dstPath} with a non-directory`);
    if (existing) await fs.rm(target); // a link there is replaced, never written through
    if (st.isSymbolicLink()) await fs.symlink(await fs.readlink(src), target);
    else if (st.isFile()) await fs.copyFile(src, target);
    else return; // devices, fifos, sockets: not copied
  }
  if (archive) await fs.lchown(target, st.uid, st.gid);
  if (!st.isSymbolicLink()) {
    await fs.chmod(target, st.mode & 0o7777);
    await fs.utimes(target, st.atime, st.mtime);
  }
}

/** Docker's rules for where SRC lands given DEST (see `docker cp --help`). */
async function destination(src: string, srcSt: Stats, dst: Place, dest: string): Promise<{ path: string; contentsOnly: boolean }> {
  const [, host] = dst.resolve(dest, true);
  const d = await statOf(host);
  if (d?.isDirectory()) {
    const contentsOnly = srcSt.isDirectory() && /(^|\/)\.$/.test(src);
    return { path: contentsOnly ? dest : posix.join(dest, basename(src)), contentsOnly };
  }
  if (d && srcSt.isDirectory()) throw new RuntimeError(`cannot copy a directory to a file: ${dest}`);
  if (!d && dest.endsWith('/')) throw new RuntimeError(`destination directory ${dest} must exist`);
  const [, parentHost] = dst.resolve(dirname(dest), true);
  if (!(await statOf(parentHost))?.isDirectory()) throw new RuntimeError(`no such directory: ${dirname(dest)}`);
  return { path: dest, contentsOnly: false };
}

export async function copy(rt: Pick<Runtime, 'list' | 'rootPath'>, project: string, req: CpRequest): Promise<void> {
  const mine = (await rt.list())
    .filter((c) => c.labels[LABELS.project] === project && c.labels[LABELS.service] === req.service && c.labels[LABELS.oneOff] !== 'True')
    .sort((a, b) => Number(a.labels[LABELS.number]) - Number(b.labels[LABELS.number]));
  const c = req.index === undefined ? mine[0] : mine.find((x) => Number(x.labels[LABELS.number]) === req.index);
  if (!c) throw new RuntimeError(`service "${req.service}"${req.index !== undefined ? ` has no container with index ${req.index}` : ' has no container'}`);
  const inside = containerPlace(rt.rootPath(c.id));
  const [srcPlace, dstPlace, srcPath, dstPath] =
    req.direction === 'from' ? [inside, hostPlace, req.containerPath, req.hostPath] : [hostPlace, inside, req.hostPath, req.containerPath];
  const [, srcHost] = srcPlace.resolve(srcPath, req.followLink === true);
  const srcSt = await (req.followLink && srcPlace === hostPlace ? statOf : lstatOf)(srcHost);
  if (!srcSt) throw new RuntimeError(`no such file or directory: ${req.direction === 'from' ? `${req.service}:` : ''}${srcPath}`);
  const where = await destination(srcPath, srcSt, dstPlace, dstPath);
  if (!where.contentsOnly) return copyEntry(srcHost, srcSt, dstPlace, where.path, req.archive === true);
  for (const name of await fs.readdir(srcHost)) {
    const st = await lstatOf(join(srcHost, name));
    if (st) await copyEntry(join(srcHost, name), st, dstPlace, posix.join(where.path, name), req.archive === true);
  }
}
