// File operations on paths a container or an image controls (a container's /proc/PID/root, a
// volume, a layer stack), done by the kernel: `gantry-shim fs` resolves each such path with
// openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS) from an fd of its root and walks trees by fd,
// never resolving a path twice, so a symlink (planted, or swapped in while we copy) cannot lead
// to a host file. Node's fs resolves with the host's resolver: never give it such a path.
// Used by cp, volume fill and subpaths; watch's sync runs through in-root-sync.ts.
// node:child_process is taken on first use (getBuiltinModule): config and version must not load it.
import { dirname, relative, sep } from 'node:path';
import { shimBinary } from './shim-binary.ts';
import { RuntimeError } from './errors.ts';

/** A path inside a root: `root` is a host directory; `path` is read as if `root` were `/`. */
export interface InRoot {
  readonly root: string;
  readonly path: string;
}

export interface InRootStat {
  readonly type: 'dir' | 'file' | 'link' | 'other';
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

export interface CopyOptions {
  /** Keep uid/gid (else the copies belong to us, root). */
  readonly owners?: boolean;
  /** Follow the source if it is a symlink (inside its root). */
  readonly followLink?: boolean;
  /** Copy the source directory's entries into the existing directory `to` (`cp SRC/. DST`). */
  readonly contents?: boolean;
  /** With contents: also give `to` the source directory's mode, owner and times (volume fill). */
  readonly rootMeta?: boolean;
  /** Device nodes and fifos too (cp skips them; a volume fill keeps them). */
  readonly devices?: boolean;
  /** Extended attributes too (a volume fill keeps them, as `cp -a`). */
  readonly xattrs?: boolean;
  /** Names of one file stay hard links of one copy (a volume fill, as `cp -a`). */
  readonly hardlinks?: boolean;
}

/** A read-only overlay of image layers, mounted privately for one operation at `mountPoint`. */
export interface LayerStack {
  readonly cwd: string;
  readonly data: string;
  readonly mountPoint: string;
}

/** The shim failed: `missing` when a path was not there (ENOENT/ENOTDIR). */
export class InRootError extends RuntimeError {
  readonly missing: boolean;
  constructor(message: string, missing: boolean) {
    super(message);
    this.missing = missing;
  }
}

const PAGE_LIMIT = 4095; // mount(2) takes one page of options

/** Layers lowest first, as the image lists them; relative lowerdirs keep the options short. */
export function layerStack(layers: readonly string[], mountPoint: string): LayerStack {
  let cwd = dirname(layers[0] ?? '/');
  while (!layers.every((l) => l.startsWith(cwd === sep ? sep : cwd + sep))) cwd = dirname(cwd);
  const lower = [...layers].reverse().map((l) => relative(cwd, l));
  const data = `lowerdir=${lower.join(':')}`;
  if (lower.some((l) => l === '' || /[:,\\]/.test(l)) || data.length > PAGE_LIMIT) {
    throw new RuntimeError(`${layers.length} layers do not fit one read-only overlay mount (options too long)`);
  }
  return { cwd, data, mountPoint };
}

function shim(args: readonly string[], input?: Buffer | string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = process.getBuiltinModule('node:child_process').spawn(shimBinary(), ['fs', ...args], {
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr?.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => reject(new RuntimeError(`gantry-shim fs: ${e.message}`)));
    if (child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    }
    child.on('close', (code) => {
      if (code === 0) return resolve(Buffer.concat(out));
      const text = Buffer.concat(err).toString('utf8').trim().split('\n').pop() ?? '';
      const message = text.replace(/^gantry-shim fs /, '') || `gantry-shim fs ${args[0]}: exit ${code}`;
      reject(new InRootError(message, code === 2));
    });
  });
}

const withStack = (stack: LayerStack | undefined, args: readonly string[]): string[] =>
  stack ? ['overlay', stack.cwd, stack.data, stack.mountPoint, ...args] : [...args];

const TYPES = { d: 'dir', f: 'file', l: 'link' } as const;
type StatResult = InRootStat | undefined;
type StatQuery = { readonly at: InRoot; readonly follow: boolean };

/** lstat (or stat with follow) inside the root; undefined when absent. */
export async function statIn(at: InRoot, follow: boolean): Promise<InRootStat | undefined> {
  return (await statsIn([{ at, follow }]))[0];
}

/** Several stats in one shim run (cp's checks before a copy). */
export async function statsIn(list: readonly StatQuery[], stack?: LayerStack): Promise<StatResult[]> {
  const args = ['stat', ...list.flatMap(({ at, follow }) => [at.root, at.path, follow ? '1' : '0'])];
  const out = await shim(withStack(stack, args));
  return out
    .toString('utf8')
    .trim()
    .split('\n')
    .map((line) => {
      if (line === '-') return undefined;
      const [t = 'o', mode = '0', uid = '0', gid = '0'] = line.split(' ');
      const type = TYPES[t as keyof typeof TYPES] ?? 'other';
      return { type, mode: parseInt(mode, 8), uid: Number(uid), gid: Number(gid) };
    });
}

/**
 * Copies `from` to `to` (the new entry's own path, or with `contents` an existing directory),
 * preserving modes and times, symlinks as links; a link in `to`'s place is replaced, never
 * written through. With `stack`, `from.root` names the stack's mount point.
 */
export async function copyIn(from: InRoot, to: InRoot, o: CopyOptions = {}, stack?: LayerStack): Promise<void> {
  const letters: readonly [boolean | undefined, string][] = [
    [o.owners, 'a'],
    [o.followLink, 'L'],
    [o.contents, 'c'],
    [o.rootMeta, 'm'],
    [o.devices, 'd'],
    [o.xattrs, 'x'],
    [o.hardlinks, 'h'],
  ];
  const flags =
    letters
      .filter(([on]) => on)
      .map(([, l]) => l)
      .join('') || '-';
  await shim(withStack(stack, ['copy', from.root, from.path, to.root, to.path, flags]));
}

/** A regular file's content (links followed inside the root). */
export const readIn = (at: InRoot): Promise<Buffer> => shim(['cat', at.root, at.path]);

/** Replaces the file at `at` atomically (a temp file renamed in the same directory). */
export async function writeIn(at: InRoot, data: Buffer | string, mode = 0o644): Promise<void> {
  await shim(['write', at.root, at.path, mode.toString(8)], data);
}

/** mkdir -p inside the root. */
export async function mkdirIn(at: InRoot, mode = 0o755): Promise<void> {
  await shim(['mkdir', at.root, at.path, mode.toString(8)]);
}

export async function listIn(
  at: InRoot,
  stack?: LayerStack,
): Promise<{ readonly name: string; readonly type: InRootStat['type'] }[]> {
  const out = (await shim(withStack(stack, ['list', at.root, at.path]))).toString('utf8');
  return out
    .split('\0')
    .filter(Boolean)
    .map((e) => ({
      name: e.slice(2),
      type: TYPES[e[0] as keyof typeof TYPES] ?? 'other',
    }));
}
