// `cp` between a service's container and the host, with Docker's path rules. Every container path
// goes through common/in-root-fs.ts: the kernel resolves it inside /proc/PID/root and the copy
// walks the tree by directory fds, so a symlink in the container is copied as a link or followed
// inside it, never out to the host. The container is not frozen (Docker pauses it): nothing is
// resolved twice, so a directory swapped for a link mid-copy has nothing left to redirect, and
// freezing would not stop another container that shares a volume from doing the same swap.
import { basename, posix, resolve } from 'node:path';
import type { Runtime } from '../../runtime/index.ts';
import { RuntimeError } from '../../common/errors.ts';
import { copyIn, InRootError, statsIn, type InRoot, type InRootStat } from '../../common/in-root-fs.ts';
import { LABELS } from '../labels.ts';

/** `gantry cp` as options. */
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

/** One side: a root and the path as the user wrote it (trailing `/` and `/.` matter). */
interface Side {
  readonly root: string;
  readonly written: string;
  readonly at: (p: string) => InRoot;
}

const side = (root: string, written: string, toAbs: (p: string) => string): Side => ({
  root,
  written,
  at: (p) => ({ root, path: toAbs(p) }),
});
const containerSide = (root: string, p: string): Side => side(root, p, (x) => posix.join('/', x));
const hostSide = (p: string): Side => side('/', p, (x) => resolve(x));

/** Docker's rules for where SRC lands given DEST (see `docker cp --help`); d: DEST followed, parent: its dir. */
type Where = { path: string; contentsOnly: boolean };
type Found = InRootStat | undefined;
function destination(src: Side, srcIsDir: boolean, dest: string, d: Found, parent: Found): Where {
  if (d?.type === 'dir') {
    const contentsOnly = srcIsDir && /(^|\/)\.$/.test(src.written);
    return { path: contentsOnly ? dest : posix.join(dest, basename(src.written)), contentsOnly };
  }
  if (d && srcIsDir) throw new RuntimeError(`cannot copy a directory to a file: ${dest}`);
  if (!d && dest.endsWith('/')) throw new RuntimeError(`destination directory ${dest} must exist`);
  if (parent?.type !== 'dir') throw new RuntimeError(`no such directory: ${posix.dirname(dest)}`);
  return { path: dest, contentsOnly: false };
}

async function copyBetween(src: Side, dst: Side, req: CpRequest, srcLabel: string): Promise<void> {
  const dest = dst.written;
  // One shim run for every check; the copy resolves again in the kernel, so a change in between
  // can only make it fail or land elsewhere inside the same root.
  const [st, d, parent] = await statsIn([
    { at: src.at(src.written), follow: req.followLink === true },
    { at: dst.at(dest), follow: true },
    { at: dst.at(posix.dirname(dest)), follow: true },
  ]);
  if (!st) throw new RuntimeError(`no such file or directory: ${srcLabel}`);
  const where = destination(src, st.type === 'dir', dest, d, parent);
  try {
    const o = { owners: req.archive === true, followLink: req.followLink === true, contents: where.contentsOnly };
    await copyIn(src.at(src.written), dst.at(where.path), o);
  } catch (e) {
    // A path that vanished (or became a link) between the checks above and the copy.
    if (e instanceof InRootError) throw new RuntimeError(`cp ${srcLabel}: ${e.message}`, { cause: e });
    throw e;
  }
}

export async function copy(rt: Pick<Runtime, 'list' | 'rootPath'>, project: string, req: CpRequest): Promise<void> {
  const mine = (await rt.list())
    .filter(
      (c) =>
        c.labels[LABELS.project] === project &&
        c.labels[LABELS.service] === req.service &&
        c.labels[LABELS.oneOff] !== 'True',
    )
    .sort((a, b) => Number(a.labels[LABELS.number]) - Number(b.labels[LABELS.number]));
  const c = req.index === undefined ? mine[0] : mine.find((x) => Number(x.labels[LABELS.number]) === req.index);
  if (!c)
    throw new RuntimeError(
      `service "${req.service}"${req.index !== undefined ? ` has no container with index ${req.index}` : ' has no container'}`,
    );
  const inside = containerSide(rt.rootPath(c.id), req.containerPath);
  const host = hostSide(req.hostPath);
  if (req.direction === 'from') await copyBetween(inside, host, req, `${req.service}:${req.containerPath}`);
  else await copyBetween(host, inside, req, req.hostPath);
}
