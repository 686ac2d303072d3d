// Builds small real test images from Debian's busybox-static, offline: `ensureTestImages()`
// returns archive paths (idempotent; parallel callers share one build). Used by image tests and
// by other areas (runtime, engine). Also run by scripts/make-test-images.sh.
//
// Image gantry-test/busybox:latest, three layers, lowest first:
//   1 (gzip)  busybox rootfs: bin/busybox + relative applet symlinks, etc/passwd, etc/removed,
//             opq/lower, a root-owned tmp/ (1777)
//   2 (gzip)  whiteout of etc/removed, opaque opq/ with opq/upper, hard links hl/a + hl/b,
//             char device dev/gnull (1:3), fifo dev/gfifo, xattr user.gantry=yes on x/attr,
//             symlink lnk -> bin/busybox, setuid file x/suid (4755, uid 1000)
//   3 (zstd)  etc/layer3
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  symlinkSync,
  linkSync,
  chmodSync,
  chownSync,
} from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEST_IMAGE_REF = 'gantry-test/busybox:latest';
// Bump the version when the images change: an old build is then left alone, never reused.
const VERSION = 'v1';
export const BUILD_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'images', 'build', VERSION);

export interface TestImages {
  readonly ref: string;
  readonly dockerArchive: string; // docker save layout (manifest.json), uncompressed layers
  readonly ociArchive: string; // OCI archive, gzip/gzip/zstd layers
  readonly ociLayout: string; // the same, as a directory (oci:DIR:latest for skopeo)
  readonly multiArchLayout: string; // OCI layout whose index has linux/amd64 and linux/arm64
  readonly configDigest: string;
  readonly manifestDigest: string;
}

const sh = (cmd: string, args: string[], cwd?: string): Buffer =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const write = (p: string, data: string | Buffer): void => {
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, data);
};

function layerTar(root: string, out: string): Buffer {
  // No atime/ctime pax records: the same inputs give the same diff_ids on every build.
  sh('tar', [
    '--create',
    '--file',
    out,
    '--sort=name',
    '--numeric-owner',
    '--mtime=2024-01-01 00:00Z',
    '--xattrs',
    '--xattrs-include=*',
    '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime',
    '-C',
    root,
    '.',
  ]);
  return readFileSync(out);
}

function populate(work: string): void {
  const l1 = join(work, 'l1');
  mkdirSync(join(l1, 'bin'), { recursive: true });
  execFileSync('cp', ['/usr/bin/busybox', join(l1, 'bin', 'busybox')]);
  for (const applet of sh('/usr/bin/busybox', ['--list'])
    .toString()
    .split('\n')
    .filter((a) => a && a !== 'busybox')) {
    symlinkSync('busybox', join(l1, 'bin', applet)); // relative: works inside any rootfs
  }
  write(join(l1, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
  write(join(l1, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
  write(join(l1, 'etc', 'removed'), 'deleted by layer 2\n');
  write(join(l1, 'opq', 'lower'), 'hidden by the opaque dir of layer 2\n');
  mkdirSync(join(l1, 'tmp'));
  chmodSync(join(l1, 'tmp'), 0o1777);
  for (const d of ['root', 'proc', 'sys', 'dev']) mkdirSync(join(l1, d));
  const l2 = join(work, 'l2');
  write(join(l2, 'etc', '.wh.removed'), '');
  write(join(l2, 'opq', '.wh..wh..opq'), '');
  write(join(l2, 'opq', 'upper'), 'from layer 2\n');
  write(join(l2, 'hl', 'a'), 'hard linked\n');
  linkSync(join(l2, 'hl', 'a'), join(l2, 'hl', 'b'));
  mkdirSync(join(l2, 'dev'));
  sh('mknod', [join(l2, 'dev', 'gnull'), 'c', '1', '3']);
  sh('mkfifo', [join(l2, 'dev', 'gfifo')]);
  write(join(l2, 'x', 'attr'), 'has an xattr\n');
  sh('setfattr', ['-n', 'user.gantry', '-v', 'yes', join(l2, 'x', 'attr')]);
  write(join(l2, 'x', 'suid'), '#!/bin/sh\n');
  chownSync(join(l2, 'x', 'suid'), 1000, 1000);
  chmodSync(join(l2, 'x', 'suid'), 0o4755);
  symlinkSync('bin/busybox', join(l2, 'lnk'));
  write(join(work, 'l3', 'etc', 'layer3'), 'third layer (zstd)\n');
}

interface Blob {
  readonly digest: string;
  readonly size: number;
  readonly data: Buffer;
}
const blob = (data: Buffer): Blob => ({ digest: sha(data), size: data.length, data });

function config(diffIds: string[], arch: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: arch,
      os: 'linux',
      created: '2024-01-01T00:00:00Z',
      config: {
        Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'GANTRY_TEST=1'],
        Cmd: ['sh'],
        WorkingDir: '/',
        Labels: { 'org.gantry.test': 'busybox' },
        StopSignal: 'SIGTERM',
        ExposedPorts: { '8080/tcp': {} },
        Volumes: { '/data': {} },
        Healthcheck: { Test: ['CMD-SHELL', 'true'], Interval: 1_000_000_000, Retries: 3 },
      },
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: [
        { created_by: 'gantry test layer 1' },
        { created_by: 'gantry test layer 2' },
        { created_by: 'gantry test layer 3' },
      ],
    }),
  );
}

function manifest(cfg: Blob, layers: { blob: Blob; mediaType: string }[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: cfg.digest, size: cfg.size },
      layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.blob.digest, size: l.blob.size })),
    }),
  );
}

function writeLayout(dir: string, blobs: Blob[], index: object): void {
  for (const b of blobs) write(join(dir, 'blobs', 'sha256', b.digest.slice(7)), b.data);
  write(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  write(join(dir, 'index.json'), JSON.stringify(index));
}

function build(out: string): void {
  const work = join(out, 'work');
  populate(work);
  const tars = [1, 2, 3].map((i) => layerTar(join(work, `l${i}`), join(out, `layer${i}.tar`)));
  const diffIds = tars.map(sha);
  const gz = (i: number): Blob => blob(sh('gzip', ['-n', '-c', join(out, `layer${i}.tar`)]));
  const layers = [
    { blob: gz(1), mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' },
    { blob: gz(2), mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' },
    {
      blob: blob(sh('zstd', ['-q', '-c', join(out, 'layer3.tar')])),
      mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd',
    },
  ];
  const cfg = blob(config(diffIds, 'amd64'));
  const man = blob(manifest(cfg, layers));
  const desc = (b: Blob, extra: object = {}): object => ({
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: b.digest,
    size: b.size,
    ...extra,
  });
  const ann = {
    annotations: {
      'org.opencontainers.image.ref.name': 'latest',
      'io.containerd.image.name': `docker.io/${TEST_IMAGE_REF}`,
    },
  };
  writeLayout(join(out, 'oci'), [cfg, man, ...layers.map((l) => l.blob)], {
    schemaVersion: 2,
    manifests: [desc(man, ann)],
  });
  sh('tar', ['--create', '--file', join(out, 'busybox-oci.tar'), '-C', join(out, 'oci'), '.']);
  // Multi-platform: the same layers under an arm64 config too.
  const cfgArm = blob(config(diffIds, 'arm64'));
  const manArm = blob(manifest(cfgArm, layers));
  const idx = blob(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          desc(man, { platform: { os: 'linux', architecture: 'amd64' } }),
          desc(manArm, { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }),
        ],
      }),
    ),
  );
  writeLayout(join(out, 'multi'), [cfg, man, cfgArm, manArm, idx, ...layers.map((l) => l.blob)], {
    schemaVersion: 2,
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.index.v1+json',
        digest: idx.digest,
        size: idx.size,
        annotations: { 'org.opencontainers.image.ref.name': 'latest' },
      },
    ],
  });
  // docker save layout (pre-25 style): config + uncompressed layer tars + manifest.json.
  const d = join(out, 'docker');
  write(join(d, `${cfg.digest.slice(7)}.json`), cfg.data);
  tars.forEach((t, i) => write(join(d, `layer${i + 1}`, 'layer.tar'), t));
  write(
    join(d, 'manifest.json'),
    JSON.stringify([
      {
        Config: `${cfg.digest.slice(7)}.json`,
        RepoTags: [TEST_IMAGE_REF],
        Layers: tars.map((_, i) => `layer${i + 1}/layer.tar`),
      },
    ]),
  );
  sh('tar', ['--create', '--file', join(out, 'busybox-docker.tar'), '-C', d, '.']);
  write(join(out, 'digests.json'), JSON.stringify({ configDigest: cfg.digest, manifestDigest: man.digest }));
  rmSync(work, { recursive: true, force: true });
}

export function ensureTestImages(): TestImages {
  if (!existsSync(join(BUILD_DIR, 'digests.json'))) {
    const tmp = `${BUILD_DIR}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    try {
      build(tmp);
      renameSync(tmp, BUILD_DIR); // a parallel builder that won leaves BUILD_DIR in place: ours is dropped
    } catch (err) {
      rmSync(tmp, { recursive: true, force: true });
      if (!existsSync(join(BUILD_DIR, 'digests.json'))) throw err;
    }
  }
  const d = JSON.parse(readFileSync(join(BUILD_DIR, 'digests.json'), 'utf8')) as {
    configDigest: string;
    manifestDigest: string;
  };
  return {
    ref: TEST_IMAGE_REF,
    dockerArchive: join(BUILD_DIR, 'busybox-docker.tar'),
    ociArchive: join(BUILD_DIR, 'busybox-oci.tar'),
    ociLayout: join(BUILD_DIR, 'oci'),
    multiArchLayout: join(BUILD_DIR, 'multi'),
    ...d,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  console.log(JSON.stringify(ensureTestImages(), null, 2));
