// OCI / Docker schema 2 manifests, indexes and image configs: the JSON shapes we read, media
// types, and platform selection (os, architecture, variant) for this host.
import { RuntimeError } from '../common/errors.ts';

export const MT = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly platform?: Platform;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface Manifest {
  readonly schemaVersion: number;
  readonly mediaType?: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
}

export interface Index {
  readonly schemaVersion: number;
  readonly mediaType?: string;
  readonly manifests: readonly Descriptor[];
}

export interface ConfigFile {
  readonly architecture?: string;
  readonly os?: string;
  readonly variant?: string;
  readonly created?: string;
  readonly config?: Record<string, unknown>;
  readonly rootfs?: { readonly type: string; readonly diff_ids: readonly string[] };
}

export const isIndexType = (mt: string | undefined): boolean => mt === MT.ociIndex || mt === MT.dockerList;

/** Index vs manifest by media type, else by shape (OCI makes mediaType optional). */
export function isIndex(doc: { mediaType?: string; manifests?: unknown }): doc is Index {
  return isIndexType(doc.mediaType) || (doc.mediaType === undefined && Array.isArray(doc.manifests));
}

const ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

export function hostPlatform(): Platform {
  const architecture = ARCH[process.arch] ?? process.arch;
  const armVersion = (process.config.variables as unknown as Record<string, unknown>)['arm_version'];
  const variant =
    architecture === 'arm64' ? 'v8' : architecture === 'arm' ? `v${String(armVersion ?? '7')}` : undefined;
  return { os: 'linux', architecture, ...(variant ? { variant } : {}) };
}

export function parsePlatform(s: string): Platform {
  const [os, architecture, variant] = s.split('/');
  if (!os || !architecture) throw new RuntimeError(`invalid platform "${s}" (want os/arch[/variant])`);
  return { os, architecture, ...(variant ? { variant } : {}) };
}

/** The best manifest for want: exact variant first, then any variant of that os/arch (arm64 v8 ≈ none). */
export function selectPlatform(index: Index, want: Platform, what: string): Descriptor {
  const candidates = index.manifests.filter(
    (m) => m.platform?.os === want.os && m.platform.architecture === want.architecture && !isIndexType(m.mediaType),
  );
  const exact = candidates.find((m) => (m.platform?.variant ?? '') === (want.variant ?? ''));
  const chosen = exact ?? candidates.find((m) => !want.variant || !m.platform?.variant) ?? candidates[0];
  if (!chosen) {
    const have = index.manifests
      .map((m) =>
        m.platform
          ? `${m.platform.os}/${m.platform.architecture}${m.platform.variant ? `/${m.platform.variant}` : ''}`
          : 'unknown',
      )
      .join(', ');
    const v = want.variant ? `/${want.variant}` : '';
    throw new RuntimeError(
      `${what}: no image for platform ${want.os}/${want.architecture}${v} (has: ${have || 'none'})`,
    );
  }
  return chosen;
}

export function layerMediaType(compression: 'gzip' | 'zstd' | 'none'): string {
  return compression === 'gzip' ? MT.ociLayerGzip : compression === 'zstd' ? MT.ociLayerZstd : MT.ociLayer;
}
