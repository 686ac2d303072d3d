// Malicious images for the image attack corpus: crafted layer tars wrapped as docker-save and OCI
// archives or pushed raw to a real registry, and a sandbox (store root + host victims beside it)
// whose every file, xattr and directory is compared before and after the attack.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  lstatSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTar, type RawEntry } from './tar-build.ts';

export const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const arch = process.arch === 'x64' ? 'amd64' : process.arch;

export interface CraftedImage {
  readonly layers: readonly Buffer[];
  readonly config: Buffer;
  readonly manifest: Buffer;
}

/** An image of these layer tars; diffIds overrides what the config promises. */
export function craftImage(layers: readonly Buffer[], o: { diffIds?: readonly string[] } = {}): CraftedImage {
  const config = Buffer.from(
    JSON.stringify({
      architecture: arch,
      os: 'linux',
      config: { Cmd: ['sh'] },
      rootfs: { type: 'layers', diff_ids: o.diffIds ?? layers.map(sha) },
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
      layers: layers.map((l) => ({
        mediaType: 'application/vnd.oci.image.layer.v1.tar',
        digest: sha(l),
        size: l.length,
      })),
    }),
  );
  return { layers, config, manifest };
}

export const craftLayer = (entries: readonly RawEntry[]): Buffer => buildTar(entries);

export function dockerArchive(img: CraftedImage, tag: string, layerNames?: readonly string[]): Buffer {
  const names = layerNames ?? img.layers.map((_, i) => `layer${i}.tar`);
  return buildTar([
    { name: 'manifest.json', data: JSON.stringify([{ Config: 'config.json', RepoTags: [tag], Layers: names }]) },
    { name: 'config.json', data: img.config },
    ...img.layers.map((l, i) => ({ name: `layer${i}.tar`, data: l })),
  ]);
}

export function ociArchive(img: CraftedImage, tag: string, o: { manifestName?: string } = {}): Buffer {
  const blob = (b: Buffer, name = sha(b)): RawEntry => ({ name: `blobs/sha256/${name.slice(7)}`, data: b });
  const index = {
    schemaVersion: 2,
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: o.manifestName ?? sha(img.manifest),
        size: img.manifest.length,
        annotations: { 'io.containerd.image.name': tag },
      },
    ],
  };
  return buildTar([
    { name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' },
    { name: 'index.json', data: JSON.stringify(index) },
    blob(img.manifest, o.manifestName),
    blob(img.config),
    ...img.layers.map((l) => blob(l)),
  ]);
}

/** Pushes blobs and manifest with the distribution API itself: no tool re-packs the layers. */
export async function pushRaw(host: string, repo: string, tag: string, img: CraftedImage): Promise<void> {
  for (const b of [img.config, ...img.layers]) {
    const start = await fetch(`http://${host}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
    if (start.status !== 202) throw new Error(`upload start: HTTP ${start.status}`);
    const loc = new URL(start.headers.get('location') ?? '', `http://${host}`);
    loc.searchParams.set('digest', sha(b));
    const put = await fetch(loc, { method: 'PUT', body: b, headers: { 'content-type': 'application/octet-stream' } });
    if (put.status !== 201) throw new Error(`blob upload: HTTP ${put.status} ${await put.text()}`);
  }
  const res = await fetch(`http://${host}/v2/${repo}/manifests/${tag}`, {
    method: 'PUT',
    body: img.manifest,
    headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
  });
  if (res.status !== 201) throw new Error(`manifest put: HTTP ${res.status} ${await res.text()}`);
}

/** Every xattr name on path itself (a symlink is not followed), all namespaces. */
export function xattrNames(path: string): string[] {
  const out = execFileSync('getfattr', ['-h', '--absolute-names', '-d', '-m', '', '-e', 'hex', path], {
    encoding: 'utf8',
  });
  return out
    .split('\n')
    .filter((l) => l.includes('='))
    .map((l) => l.slice(0, l.indexOf('=')))
    .sort();
}

/** Every xattr name of every entry under dir (symlinks not followed), by absolute path: one getfattr. */
function xattrsUnder(dir: string): Map<string, string[]> {
  const out = execFileSync('getfattr', ['-R', '-P', '-h', '--absolute-names', '-d', '-m', '', '-e', 'hex', dir], {
    encoding: 'utf8',
  });
  const m = new Map<string, string[]>();
  let cur = '';
  for (const line of out.split('\n')) {
    if (line.startsWith('# file: ')) cur = line.slice(8);
    else if (line.includes('=')) m.set(cur, [...(m.get(cur) ?? []), line.slice(0, line.indexOf('='))].sort());
  }
  return m;
}

/** A file tree as text: type, mode, owner, content hash, link target and xattrs of every entry. */
export function treeState(dir: string): string[] {
  const out: string[] = [];
  if (!lstatSync(dir, { throwIfNoEntry: false })) return out;
  const xattrs = xattrsUnder(dir);
  const walk = (p: string, rel: string): void => {
    const st = lstatSync(p);
    const kind = st.isDirectory()
      ? 'd'
      : st.isSymbolicLink()
        ? `l->${readlinkSync(p)}`
        : st.isFile()
          ? `f:${sha(readFileSync(p)).slice(7, 19)}`
          : 'other';
    out.push(
      `${rel} ${kind} ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid} [${(xattrs.get(p) ?? []).join(',')}]`,
    );
    if (st.isDirectory()) for (const n of readdirSync(p).sort()) walk(join(p, n), `${rel}/${n}`);
  };
  walk(dir, '.');
  return out;
}

export interface Sandbox {
  readonly work: string;
  /** The image store root (GANTRY_ROOT/images). */
  readonly store: string;
  /** Host files an attack aims at: a "binary", a data file, a directory. */
  readonly victim: string;
  readonly victimFile: string;
  /** A file in the store's shared temp dir, standing for another operation's work in progress. */
  readonly canary: string;
  /** Everything in the sandbox but the store's own blobs/layers/index, for before/after compares. */
  outside(): string[];
  cleanup(): void;
}

export function sandbox(): Sandbox {
  const work = mkdtempSync(join(tmpdir(), `gantry-attack-image-${process.pid}-`));
  const store = join(work, 'store');
  const victim = join(work, 'victim');
  mkdirSync(join(store, 'tmp'), { recursive: true });
  mkdirSync(join(victim, 'sub'), { recursive: true });
  writeFileSync(join(victim, 'bin'), '#!/bin/sh\necho host binary\n', { mode: 0o755 });
  writeFileSync(join(victim, 'data'), 'host data\n');
  const canary = join(store, 'tmp', 'canary-of-another-operation');
  writeFileSync(canary, 'in progress\n');
  return {
    work,
    store,
    victim,
    victimFile: join(victim, 'bin'),
    canary,
    outside: () => [
      ...treeState(victim),
      ...readdirSync(work)
        .filter((n) => !n.endsWith('.tar'))
        .sort(),
      ...(existsSync(canary) ? [readFileSync(canary, 'utf8')] : ['canary gone']),
    ],
    cleanup: () => rmSync(work, { recursive: true, force: true }),
  };
}

/** A version-2 security.capability value granting cap_setuid (bit 7), effective. */
export const CAP_SETUID = Buffer.from([0x01, 0x00, 0x00, 0x02, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
