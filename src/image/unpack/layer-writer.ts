// Writes tar entries into ONE empty layer directory: files, dirs, symlinks, hard links, nodes,
// ownership, modes, mtimes, xattrs; OCI whiteouts become overlayfs whiteouts. Every parent is
// checked with lstat (and remembered), so nothing is ever written through a symlink. apply()
// writes only plain entries; device nodes and xattrs wait for finish(), which the caller runs
// once the layer's digests are verified.
import { lstat, mkdir, open, symlink, link, lchown, chmod, lutimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { TarEntry, TarHeader } from './tar-reader.ts';
import { entryParts, refuse, OPAQUE_MARKER, WHITEOUT_PREFIX } from './entry-path.ts';
import { makeNodes, setXattrs, type NodeSpec, type XattrSpec } from './special-nodes.ts';
import { xattrVerdict } from './xattr-policy.ts';
import { removeInsideAsync } from '../../common/remove-inside.ts';

const isRoot = process.getuid?.() === 0;
const errCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException).code;
/** Xattrs wait in memory until finish(): bounded, so a layer cannot hold the process hostage. */
const MAX_PENDING_XATTR_BYTES = 64 * 1024 * 1024;
/** AUFS bookkeeping (.wh..wh.plnk, .wh..wh.aufs): not content, skipped as Docker does. */
const AUFS_META = `${WHITEOUT_PREFIX}${WHITEOUT_PREFIX}`;

interface Meta {
  readonly rel: string;
  readonly uid: number;
  readonly gid: number;
  readonly mtime: number;
  readonly atime: number;
}

export class LayerWriter {
  private readonly dirs = new Set<string>(['']); // rel paths known to be real directories
  private readonly nodes = new Map<string, NodeSpec & Meta>();
  private xattrs: XattrSpec[] = [];
  private xattrBytes = 0;
  private readonly dirTimes: Meta[] = [];
  private lateLinks: { rel: string; target: string }[] = [];
  private readonly root: string;
  private readonly label: string;
  constructor(root: string, label: string) {
    this.root = root;
    this.label = label;
  }

  private abs(rel: string): string {
    return rel === '' ? this.root : join(this.root, rel);
  }

  /** Makes sure every parent of parts is a real directory inside the layer. */
  private async parents(name: string, parts: readonly string[]): Promise<void> {
    for (let i = 1; i < parts.length; i++) {
      const rel = parts.slice(0, i).join('/');
      if (this.dirs.has(rel)) continue;
      const st = await lstat(this.abs(rel)).catch((e: unknown) =>
        errCode(e) === 'ENOENT' ? undefined : Promise.reject(e),
      );
      if (st?.isSymbolicLink()) throw refuse(this.label, name, `goes through the symlink "${rel}"`);
      if (st && !st.isDirectory()) throw refuse(this.label, name, `has the non-directory "${rel}" as a parent`);
      if (!st) await mkdir(this.abs(rel), { mode: 0o755 });
      this.dirs.add(rel);
    }
  }

  /** Clears whatever is at rel unless both old and new are directories. */
  private async clear(rel: string, newIsDir: boolean): Promise<void> {
    if (rel === '') return;
    this.nodes.delete(rel);
    if (newIsDir && this.dirs.has(rel)) return;
    const st = await lstat(this.abs(rel)).catch(() => undefined);
    if (!st || (newIsDir && st.isDirectory())) return;
    await removeInsideAsync(this.root, this.abs(rel));
    // Whatever was pending under the old path went with it; keeping it would let a later
    // symlink at this path redirect the batched mknod/setfattr outside the layer.
    const under = (p: string): boolean => p === rel || p.startsWith(`${rel}/`);
    for (const d of this.dirs) if (under(d)) this.dirs.delete(d);
    for (const n of this.nodes.keys()) if (under(n)) this.nodes.delete(n);
    this.xattrs = this.xattrs.filter((x) => !under(x.rel));
    this.lateLinks = this.lateLinks.filter((l) => !under(l.rel) && !under(l.target));
  }

  /** Re-checks, just before the batched tools run, that no parent became a symlink. */
  private async stillSafe(rel: string): Promise<void> {
    const parts = rel === '' ? [] : rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const st = await lstat(this.abs(parts.slice(0, i).join('/')));
      if (!st.isDirectory()) throw refuse(this.label, rel, 'has a parent replaced by a non-directory');
    }
  }

  private meta(rel: string, h: TarHeader): Meta {
    return { rel, uid: h.uid, gid: h.gid, mtime: h.mtime, atime: h.atime ?? h.mtime };
  }

  async apply(entry: TarEntry): Promise<void> {
    const h = entry.header;
    const parts = entryParts(this.label, h.name);
    if (parts.length === 0 && h.type !== 'dir') {
      throw refuse(this.label, h.name, `is a ${h.type} in place of the layer root`);
    }
    await this.parents(h.name, parts);
    const base = parts[parts.length - 1] ?? '';
    const dir = parts.slice(0, -1).join('/');
    if (base === OPAQUE_MARKER) {
      this.xattrs.push({ rel: dir, name: 'trusted.overlay.opaque', value: Buffer.from('y') });
      return;
    }
    if (base.startsWith(AUFS_META)) return;
    if (base.startsWith(WHITEOUT_PREFIX)) {
      const gone = base.slice(WHITEOUT_PREFIX.length);
      // ".wh..." would name the parent of the layer: the store's shared temp dir.
      if (gone === '' || gone === '.' || gone === '..') throw refuse(this.label, h.name, 'is a whiteout of no file');
      const rel = [...parts.slice(0, -1), gone].join('/');
      await this.clear(rel, false);
      this.nodes.set(rel, {
        ...this.meta(rel, { ...h, uid: 0, gid: 0 }),
        type: 'char',
        major: 0,
        minor: 0,
        mode: 0o600,
      });
      return;
    }
    const rel = parts.join('/');
    const kept = [...h.xattrs].filter(([name, value]) => xattrVerdict(this.label, h.name, name, value) === 'keep');
    await this.clear(rel, h.type === 'dir');
    await this.write(entry, rel);
    for (const [name, value] of kept) {
      this.xattrBytes += name.length + value.length;
      if (this.xattrBytes > MAX_PENDING_XATTR_BYTES) {
        throw refuse(this.label, h.name, `brings the layer's xattrs past ${MAX_PENDING_XATTR_BYTES} bytes`);
      }
      this.xattrs.push({ rel, name, value });
    }
  }

  private async write(entry: TarEntry, rel: string): Promise<void> {
    const h = entry.header;
    const p = this.abs(rel);
    switch (h.type) {
      case 'dir':
        if (rel !== '') await mkdir(p).catch((e: unknown) => (errCode(e) === 'EEXIST' ? undefined : Promise.reject(e)));
        this.dirs.add(rel);
        if (isRoot) await lchown(p, h.uid, h.gid);
        await chmod(p, h.mode);
        this.dirTimes.push(this.meta(rel, h));
        return;
      case 'file':
        return this.writeFile(entry, p);
      case 'symlink':
        await symlink(h.linkname, p);
        return this.own(p, this.meta(rel, h));
      case 'hardlink':
        return this.hardlink(h, rel);
      default:
        this.nodes.set(rel, { ...this.meta(rel, h), type: h.type, major: h.devmajor, minor: h.devminor, mode: h.mode });
    }
  }

  private async writeFile(entry: TarEntry, p: string): Promise<void> {
    const h = entry.header;
    const fh = await open(p, 'wx', 0o600);
    try {
      for await (const chunk of entry.body) await fh.write(chunk);
      if (isRoot) await fh.chown(h.uid, h.gid);
      await fh.chmod(h.mode); // after chown, which clears setuid/setgid
      await fh.utimes(h.atime ?? h.mtime, h.mtime);
    } finally {
      await fh.close();
    }
  }

  private async hardlink(h: TarHeader, rel: string): Promise<void> {
    const tparts = entryParts(this.label, h.linkname, 'link target');
    await this.parents(h.name, tparts);
    const target = tparts.join('/');
    if (this.nodes.has(target)) return void this.lateLinks.push({ rel, target });
    const st = await lstat(this.abs(target)).catch(() => undefined);
    if (!st) throw refuse(this.label, h.name, `is a hard link to "${h.linkname}", which is not in this layer`);
    if (st.isDirectory()) throw refuse(this.label, h.name, `is a hard link to the directory "${h.linkname}"`);
    await link(this.abs(target), this.abs(rel));
  }

  private async own(p: string, m: Meta): Promise<void> {
    if (isRoot) await lchown(p, m.uid, m.gid);
    await lutimes(p, m.atime, m.mtime);
  }

  /** Creates the batched nodes, links and xattrs, then directory mtimes (children changed them).
   *  Runs only on a verified layer: these are the privileged parts. */
  async finish(): Promise<void> {
    const nodes = [...this.nodes.values()];
    for (const p of [...nodes.map((n) => n.rel), ...this.xattrs.map((x) => x.rel), ...this.lateLinks.map((l) => l.rel)])
      await this.stillSafe(p);
    await makeNodes(this.root, nodes, this.label);
    for (const n of nodes) await this.own(this.abs(n.rel), n);
    for (const l of this.lateLinks) await link(this.abs(l.target), this.abs(l.rel));
    await setXattrs(this.root, this.xattrs, this.label);
    const byDepth = this.dirTimes
      .filter((d) => this.dirs.has(d.rel))
      .sort((a, b) => b.rel.split('/').length - a.rel.split('/').length);
    for (const d of byDepth) await lutimes(this.abs(d.rel), d.atime, d.mtime);
  }
}
