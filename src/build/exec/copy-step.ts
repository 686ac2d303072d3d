// COPY and ADD into a fresh layer directory, with Docker's rules: a directory source copies its
// contents, several sources (or a wildcard) need a directory destination, a destination ending
// in `/` or already a directory in the stage receives sources by name; owner 0:0 unless
// --chown (names looked up in the stage's /etc/passwd), modes kept unless --chmod. Context
// sources come from the walked context (so .dockerignore holds); symlinks are copied as links,
// never followed. ADD of a local tar archive extracts it; ADD of an http(s) URL downloads it
// (mode 0600 unless --chmod, not extracted); git sources are refused. --exclude patterns drop
// what they match (relative to each source) with .dockerignore's rules.
import { chmod, chown, copyFile, lchown, lstat, mkdir, symlink, utimes, writeFile } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { AddInstruction, CopyInstruction } from '../dockerfile/types.ts';
import { contextPath, globRegex } from '../context/select-sources.ts';
import { IgnoreMatcher } from '../context/dockerignore.ts';
import type { ContextEntry } from '../context/walk.ts';
import { ensureDirs } from './new-layer.ts';
import { lookup, resolveOwner } from './layer-stack.ts';
import { mapLimit } from '../../common/map-limit.ts';
import { checkDigest, fetchUrl, isUrl, refuseGit, type Fetched } from './fetch-url.ts';

const exec = promisify(execFile);

export interface CopyContext {
  readonly contextDir: string;
  readonly entries: readonly ContextEntry[];
  /** The stage's layers (lowest first) under the new one. */
  readonly stack: readonly string[];
  readonly workdir: string;
  /** ADD URLs already downloaded this build (for the cache key), by URL; and where to put others. */
  readonly fetched?: ReadonlyMap<string, Fetched> | undefined;
  readonly scratch?: string | undefined;
}

/**
 * Files of a directory source copied this many at a time: one after the other, each file's four
 * calls (copy, chown, chmod, utimes) waited for the event loop in turn; 50 small files took 2.7×
 * the wall time and 2.5× the CPU of a parallel copy here (loaded 2-core VM, bench/RESULTS.md).
 */
const PARALLEL_FILES = 16;

const TAR_NAME = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst)$/i;

/** The context entries a source names (its roots), as Docker expands wildcards. */
export function sourceRoots(entries: readonly ContextEntry[], source: string): ContextEntry[] {
  const p = contextPath(source);
  if (p === '.') return [{ path: '', type: 'dir' } as ContextEntry];
  if (/[*?[\\]/.test(p)) {
    const re = globRegex(p);
    return entries.filter((e) => re.test(e.path));
  }
  return entries.filter((e) => e.path === p);
}

/** A plain `COPY SOURCE /` (RUN bind sources, named directory contexts). */
export function plainCopy(source: string): CopyInstruction {
  return {
    kind: 'COPY',
    line: 0,
    endLine: 0,
    source: '',
    sources: [{ kind: 'path', path: source }],
    dest: '/',
    chown: undefined,
    chmod: undefined,
    link: false,
    exclude: [],
    from: undefined,
    parents: false,
  };
}

export function destination(dest: string, workdir: string): string {
  const abs = dest.startsWith('/') ? dest : posix.join(workdir, dest);
  return posix.normalize(abs) + (dest.endsWith('/') || dest === '.' ? '/' : '');
}

export async function copyStep(layer: string, ins: CopyInstruction | AddInstruction, c: CopyContext): Promise<void> {
  const owner = ins.chown ? await resolveOwner(c.stack, ins.chown) : { uid: 0, gid: 0 };
  const mode = ins.chmod === undefined ? undefined : Number.parseInt(ins.chmod, 8);
  if (mode !== undefined && !(mode >= 0 && mode <= 0o7777)) throw new Error(`invalid --chmod=${ins.chmod}: use octal`);
  const dest = destination(ins.dest, c.workdir);
  const all = ins.sources.flatMap((s) => (s.kind === 'path' ? [s.path] : []));
  for (const p of all) refuseGit(ins.kind, p);
  const urls = all.filter(isUrl);
  const paths = all.filter((p) => !isUrl(p));
  const roots = paths
    .map((p) => {
      const r = sourceRoots(c.entries, p);
      if (r.length === 0) throw new Error(`"${p}": not found in the build context (or excluded by .dockerignore)`);
      return r;
    })
    .flat();
  // --exclude: .dockerignore's rules, on paths relative to the source (a file source: its name).
  const excluded = new IgnoreMatcher(ins.exclude);
  const heredocs = ins.sources.flatMap((s) => (s.kind === 'heredoc' ? [s.heredoc] : []));
  const many = roots.length + heredocs.length + urls.length > 1 || paths.some((p) => /[*?[]/.test(p));
  const existing = await lookup(c.stack, dest.slice(1));
  const intoDir = dest.endsWith('/') || many || existing?.stat.isDirectory() === true;
  const destRel = dest.replace(/^\/+|\/+$/g, '');
  if (intoDir) await ensureDirs(layer, c.stack, destRel, owner);
  else await ensureDirs(layer, c.stack, posix.dirname(`/${destRel}`).slice(1));
  // A regular file copyFile makes has its source's mode (libuv sets it exactly) and is ours, unless
  // the directory it lands in is setgid (a base image's, kept by ensureDirs): its group then. So
  // chown and chmod run only when they change something: half the calls of a 50-file COPY (4 per
  // file, each a thread-pool round trip; issue 16's edit). Subdirectories get the owner's group.
  const into = await lstat(join(layer, intoDir ? destRel : posix.dirname(`/${destRel}`).slice(1)));
  const inherits = (into.mode & 0o2000) !== 0 && into.gid !== owner.gid;
  const asCreated = !inherits && owner.uid === process.geteuid?.() && owner.gid === process.getegid?.();
  const put = async (e: ContextEntry, target: string): Promise<void> => {
    const src = join(c.contextDir, e.path);
    if (e.type === 'dir') await mkdir(target, { recursive: true });
    else if (e.type === 'symlink') await symlink(e.linkTarget!, target);
    else await copyFile(src, target);
    if (e.type === 'symlink') await lchown(target, owner.uid, owner.gid);
    else {
      const copied = e.type === 'file';
      if (!(copied && asCreated)) await chown(target, owner.uid, owner.gid);
      if (!(copied && mode === undefined)) await chmod(target, mode ?? e.mode);
      await utimes(target, new Date(Number(e.mtimeNs / 1_000_000n)), new Date(Number(e.mtimeNs / 1_000_000n)));
    }
  };
  for (const root of roots) {
    if (root.type === 'dir') {
      const prefix = root.path === '' ? '' : `${root.path}/`;
      const inside = c.entries.filter(
        (e) => e.path.startsWith(prefix) && e.path !== root.path && !excluded.excludes(e.path.slice(prefix.length)),
      );
      const target = (e: ContextEntry): string => join(layer, destRel, e.path.slice(prefix.length));
      // Directories first, in walk order (parents before children), then the rest side by side.
      for (const e of inside) if (e.type === 'dir') await put(e, target(e));
      await mapLimit(
        inside.filter((e) => e.type !== 'dir'),
        PARALLEL_FILES,
        (e) => put(e, target(e)),
      );
      continue;
    }
    if (excluded.excludes(basename(root.path))) continue;
    const target = intoDir ? join(layer, destRel, basename(root.path)) : join(layer, destRel);
    if (ins.kind === 'ADD' && root.type === 'file' && TAR_NAME.test(root.path)) {
      const into = intoDir ? join(layer, destRel) : join(layer, posix.dirname(`/${destRel}`));
      await exec('tar', [
        '-x',
        '--same-owner',
        '-p',
        '--no-overwrite-dir',
        '-f',
        join(c.contextDir, root.path),
        '-C',
        into,
      ]);
      continue;
    }
    await put(root, target);
  }
  for (const url of urls) {
    const checksum = ins.kind === 'ADD' ? ins.checksum : undefined;
    const f = c.fetched?.get(url) ?? (await fetchUrl(url, c.scratch ?? layer, checksum));
    if (checksum !== undefined) checkDigest(url, checksum, f.digest);
    const target = intoDir ? join(layer, destRel, f.name) : join(layer, destRel);
    await copyFile(f.file, target);
    await chown(target, owner.uid, owner.gid);
    await chmod(target, mode ?? 0o600);
    if (f.mtime && !Number.isNaN(f.mtime.getTime())) await utimes(target, f.mtime, f.mtime);
  }
  for (const doc of heredocs) {
    const target = intoDir ? join(layer, destRel, doc.name) : join(layer, destRel);
    await writeFile(target, doc.content);
    await chown(target, owner.uid, owner.gid);
    await chmod(target, mode ?? 0o644);
  }
}
