// COPY --from=STAGE|IMAGE: the source filesystem is a stack of layers. `gantry-shim fs` mounts it
// read-only (overlay) in a mount namespace of its own that dies with the operation, resolves each
// source inside it (openat2 RESOLVE_IN_ROOT: a symlink on the way stays in the stage's root, as
// BuildKit resolves it) and copies by fd walks into the fresh layer directory, keeping owners,
// modes, times, xattrs and hard links. No host tool sees a path of the stage, so nothing can
// follow a link out of it. --chown/--chmod are applied afterwards to our own copy, links untouched.
import { lchown, chmod, chown, lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { copyIn, layerStack, listIn, statsIn, type LayerStack } from '../../common/in-root-fs.ts';
import type { CopyInstruction } from '../dockerfile/types.ts';
import { globRegex } from '../context/select-sources.ts';
import { destination } from './copy-step.ts';
import { ensureDirs } from './new-layer.ts';
import { lookup, resolveOwner } from './layer-stack.ts';

const GLOB = /[*?[]/;

/** The stage's paths a source pattern names (a wildcard in any component, as Go's filepath.Glob). */
async function expand(root: string, stack: LayerStack | undefined, pattern: string): Promise<string[]> {
  if (!GLOB.test(pattern)) return [pattern];
  let found = [''];
  for (const part of pattern.split('/')) {
    const next: string[] = [];
    for (const dir of found) {
      const path = dir === '' ? part : `${dir}/${part}`;
      if (!GLOB.test(part)) next.push(path);
      else {
        const re = globRegex(part);
        const list = await listIn({ root, path: dir || '/' }, stack).catch(() => []);
        for (const e of list) if (re.test(e.name)) next.push(dir === '' ? e.name : `${dir}/${e.name}`);
      }
    }
    found = next.sort();
  }
  return found;
}

/** --chown / --chmod over our own copy: lstat walk, links never followed (only their owner changes). */
async function ownAndMode(path: string, owner: { uid: number; gid: number } | undefined, mode: number | undefined) {
  const st = await lstat(path);
  if (st.isSymbolicLink()) {
    if (owner) await lchown(path, owner.uid, owner.gid);
    return;
  }
  if (owner) await chown(path, owner.uid, owner.gid);
  if (mode !== undefined) await chmod(path, mode);
  if (st.isDirectory()) for (const n of await readdir(path)) await ownAndMode(join(path, n), owner, mode);
}

export async function copyFromLayers(
  layer: string,
  ins: CopyInstruction,
  from: readonly string[],
  stack: readonly string[],
  workdir: string,
  fromName: string,
): Promise<void> {
  if (from.length === 0) throw new Error(`--from=${fromName}: the source has no filesystem (scratch)`);
  const mode = ins.chmod === undefined ? undefined : Number.parseInt(ins.chmod, 8);
  if (mode !== undefined && !(mode >= 0 && mode <= 0o7777)) throw new Error(`invalid --chmod=${ins.chmod}: use octal`);
  const dest = destination(ins.dest, workdir);
  const destRel = dest.replace(/^\/+|\/+$/g, '');
  const patterns = ins.sources.flatMap((s) => (s.kind === 'path' ? [posix.normalize(`/${s.path}`).slice(1)] : []));
  const many = patterns.length > 1 || patterns.some((p) => GLOB.test(p));
  const existing = await lookup(stack, destRel);
  const intoDir = dest.endsWith('/') || many || existing?.stat.isDirectory() === true;
  const owner = ins.chown ? await resolveOwner(stack, ins.chown) : undefined;
  if (intoDir) await ensureDirs(layer, stack, destRel, owner ?? { uid: 0, gid: 0 });
  else await ensureDirs(layer, stack, posix.dirname(`/${destRel}`).slice(1));
  // One layer is the root itself (overlayfs mounts read-only only over two layers or more); its
  // 0/0 character devices are whiteouts of nothing, so devices are copied only from a merged stack.
  const mnt = from.length > 1 ? await mkdtemp(join(tmpdir(), 'gantry-copy-from-')) : undefined;
  try {
    const src = mnt ? layerStack(from, mnt) : undefined;
    const root = mnt ?? from[0]!;
    const sources: { path: string; dir: boolean }[] = [];
    for (const p of patterns) {
      const got = await expand(root, src, p);
      const stats = got.length
        ? await statsIn(
            got.map((path) => ({ at: { root, path }, follow: false })),
            src,
          )
        : [];
      if (!stats.some(Boolean)) throw new Error(`${p || '/'}: not found`);
      got.forEach((path, i) => stats[i] && sources.push({ path, dir: stats[i].type === 'dir' }));
    }
    const keep = { owners: true, xattrs: true, devices: mnt !== undefined, hardlinks: true } as const;
    for (const { path, dir } of sources) {
      const target = dir || !intoDir ? destRel : posix.join(destRel, posix.basename(`/${path}`));
      if (dir) await ensureDirs(layer, stack, destRel);
      await copyIn({ root, path: path || '/' }, { root: layer, path: target }, { ...keep, contents: dir }, src);
      if (owner || mode !== undefined) await ownAndMode(join(layer, target), owner, mode);
    }
  } catch (e) {
    throw new Error(`--from=${fromName}: ${(e as Error).message}`, { cause: e });
  } finally {
    if (mnt) await rm(mnt, { recursive: true, force: true });
  }
}
