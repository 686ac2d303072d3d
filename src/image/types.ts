// The image area's public model: what the runtime and the engine read about a local image.
/** The image's HEALTHCHECK, as its config records it. */
export interface ImageHealthcheck {
  readonly test: readonly string[];
  readonly intervalNs?: number;
  readonly timeoutNs?: number;
  readonly retries?: number;
  readonly startPeriodNs?: number;
  readonly startIntervalNs?: number;
}

/** The image config's "config" object, in gantry's words (Docker/OCI field names lower-cased). */
export interface ImageConfig {
  readonly env: readonly string[];
  readonly cmd?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly workingDir?: string;
  readonly user?: string;
  readonly exposedPorts: readonly string[];
  readonly volumes: readonly string[];
  readonly healthcheck?: ImageHealthcheck;
  readonly stopSignal?: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** An image in the local store: its id, names, unpacked layers and config. */
export interface LocalImage {
  /** "sha256:<config digest>", as Docker's image Id. */
  readonly id: string;
  /** Normalized references, e.g. docker.io/library/busybox:latest. */
  readonly references: readonly string[];
  /** Absolute paths of unpacked layer directories, LOWEST first, whiteouts in overlayfs form. */
  readonly layers: readonly string[];
  readonly config: ImageConfig;
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  /** Uncompressed size of all layers, in bytes (what `docker images` shows). */
  readonly size: number;
  /** Digest of the (platform) manifest this image was stored from. */
  readonly manifestDigest: string;
  /** Creation time from the image config, when it has one. */
  readonly created?: string;
}

/** Typed progress events a pull emits; the CLI renders them (listr2 on a TTY, lines otherwise). */
export type PullProgress =
  | { readonly kind: 'resolved'; readonly ref: string; readonly manifestDigest: string; readonly layers: number }
  | { readonly kind: 'layer-start'; readonly digest: string; readonly size: number }
  | { readonly kind: 'layer-bytes'; readonly digest: string; readonly received: number; readonly size: number }
  | { readonly kind: 'layer-exists'; readonly digest: string }
  | { readonly kind: 'layer-retry'; readonly digest: string; readonly attempt: number; readonly reason: string }
  | { readonly kind: 'layer-done'; readonly digest: string }
  | { readonly kind: 'unpacked'; readonly diffId: string }
  | { readonly kind: 'done'; readonly id: string };

export interface PullOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (e: PullProgress) => void;
  /** "os/arch[/variant]"; defaults to this host. */
  readonly platform?: string;
}

/** Progress of an image push. */
export type PushProgress =
  | { readonly kind: 'blob-exists'; readonly digest: string }
  | { readonly kind: 'blob-start'; readonly digest: string; readonly size: number }
  | { readonly kind: 'blob-done'; readonly digest: string; readonly size: number };

export interface PushOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (e: PushProgress) => void;
}

export interface PushResult {
  readonly ref: string;
  /** The tag (or digest) the manifest was put under. */
  readonly tag: string;
  readonly digest: string;
  readonly size: number;
  /** Blobs uploaded (those the registry lacked) out of all the image's blobs (layers and config). */
  readonly blobsSent: number;
  readonly blobsTotal: number;
}

/** An archive to read: a file, or bytes as they arrive (stdin), with the name errors give it. */
export type ArchiveSource = string | { readonly name: string; readonly data: AsyncIterable<Buffer> };

/** `image import`: the config the image gets (docker import --change) and its history comment (-m). */
export interface ImportOptions {
  readonly config?: Readonly<Record<string, unknown>>;
  readonly message?: string;
}

export interface ImageStore {
  /** Looks an image up locally by reference, id or id prefix; never touches the network. */
  resolve(ref: string): Promise<LocalImage | undefined>;
  pull(ref: string, opts?: PullOptions): Promise<LocalImage>;
  load(archive: ArchiveSource): Promise<LocalImage[]>;
  save(refs: readonly string[], out: string): Promise<void>;
  push(ref: string, opts?: PushOptions): Promise<PushResult>;
  importRootfs(tarball: ArchiveSource, ref: string, opts?: ImportOptions): Promise<LocalImage>;
  list(): Promise<LocalImage[]>;
  tag(src: string, dst: string): Promise<void>;
  remove(ref: string): Promise<void>;
  prune(): Promise<{ removedLayers: number; bytes: number }>;
  /** A build's view of a local image: its whole config file and its layers (blob + directory). */
  documents(ref: string): Promise<ImageDocuments | undefined>;
  /** Moves a layer a build made (directory in overlayfs form + gzip tar) into the store. */
  addLayer(layer: NewLayer): Promise<StoredLayer>;
  /** The layer if the store still holds both its blob and its directory (build cache check). */
  findLayer(diffId: string, descriptor: LayerDescriptor): Promise<StoredLayer | undefined>;
  /** Brings a layer blob in from a file (an imported build cache), verified as a pulled one is. */
  importLayer(file: string, diffId: string, descriptor: LayerDescriptor): Promise<StoredLayer>;
  /** Where the store keeps a blob (for a build cache export), or undefined if it has none. */
  blobFile(digest: string): Promise<string | undefined>;
  /** Stores a config and manifest over these layers; refs name it (none: dangling). */
  createImage(
    config: Record<string, unknown>,
    layers: readonly LayerDescriptor[],
    refs: readonly string[],
  ): Promise<LocalImage>;
}

export interface LayerDescriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
}

export interface NewLayer {
  /** The unpacked layer (overlayfs whiteouts); moved into the store, or removed if already there. */
  readonly dir: string;
  /** The gzip-compressed tar of the same content; moved into the store. */
  readonly blob: string;
  /** sha256 of the uncompressed tar, and its size. */
  readonly diffId: string;
  readonly size: number;
}

export interface StoredLayer {
  readonly diffId: string;
  readonly descriptor: LayerDescriptor;
  /** Absolute path of the unpacked directory. */
  readonly dir: string;
}

export interface ImageDocuments {
  readonly image: LocalImage;
  /** The whole config file (architecture, os, config, rootfs, history). */
  readonly config: Record<string, unknown>;
  readonly layers: readonly StoredLayer[];
}
