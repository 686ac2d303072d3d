// The ImageStore: local lookups here, pull/ for registries, archive/ for files. Those two are
// imported on use: with their tar, gzip and zstd readers they cost every command ≈ 5 ms of start
// (measured), and up, down or ps with local images need none of them.
import { UsageError } from '../../common/errors.ts';
import { parseReference } from '../reference.ts';
import type {
  ArchiveSource,
  ImageDocuments,
  ImageStore,
  ImportOptions,
  LayerDescriptor,
  LocalImage,
  NewLayer,
  PullOptions,
  PushOptions,
  PushResult,
  StoredLayer,
} from '../types.ts';
import { addLayer, createImage, findLayer, imageDocuments } from './commit.ts';
import { blobPath, ensureLayout, layoutOf, type Layout } from './layout.ts';
import { hasBlob } from './blobs.ts';
import { findEntries, listImages, manifestDescriptor } from './images.ts';
import { setRef, updateRefs } from './refs.ts';
import { prune } from './prune.ts';

class Store implements ImageStore {
  private readonly l: Layout;
  private ready: Promise<void> | undefined;
  constructor(root: string) {
    this.l = layoutOf(root);
  }
  private async init(): Promise<Layout> {
    this.ready ??= ensureLayout(this.l);
    await this.ready;
    return this.l;
  }
  // A lookup only reads: it skips init's 4 mkdirs and the oci-layout create, each failing with
  // EEXIST through the thread pool on every `container run` and `up` (issue 20). No index.json: no image.
  async resolve(ref: string): Promise<LocalImage | undefined> {
    return (await findEntries(this.l, ref))?.image;
  }
  async pull(ref: string, opts?: PullOptions): Promise<LocalImage> {
    const { pullImage } = await import('../pull/pull.ts');
    return pullImage(await this.init(), ref, opts);
  }
  async push(ref: string, opts?: PushOptions): Promise<PushResult> {
    const { pushImage } = await import('../push/push.ts');
    return pushImage(await this.init(), ref, opts);
  }
  async load(archive: ArchiveSource): Promise<LocalImage[]> {
    const { loadArchive } = await import('../archive/load.ts');
    return loadArchive(await this.init(), archive);
  }
  async save(refs: readonly string[], out: string): Promise<void> {
    const l = await this.init();
    const images = [];
    for (const r of refs) {
      const found = await findEntries(l, r);
      if (!found) throw new UsageError(`image save: no such image: ${r}`);
      images.push({ image: found.image, names: found.byId ? found.image.references : [parseReference(r).normalized] });
    }
    const { saveArchive } = await import('../archive/save.ts');
    await saveArchive(l, images, out);
  }
  async importRootfs(tarball: ArchiveSource, ref: string, opts: ImportOptions = {}): Promise<LocalImage> {
    const { importRootfs } = await import('../archive/import.ts');
    return importRootfs(await this.init(), tarball, parseReference(ref).normalized, opts);
  }
  async list(): Promise<LocalImage[]> {
    return listImages(await this.init());
  }
  async tag(src: string, dst: string): Promise<void> {
    const l = await this.init();
    const target = parseReference(dst).normalized;
    const found = await findEntries(l, src);
    if (!found) throw new UsageError(`image tag: no such image: ${src}`);
    await setRef(l, target, await manifestDescriptor(l, found.image.manifestDigest));
  }
  async remove(ref: string): Promise<void> {
    const l = await this.init();
    const found = await findEntries(l, ref);
    if (!found) throw new UsageError(`image rm: no such image: ${ref}`);
    // By name: untag that name only (as docker rmi); by Id: every name of the image.
    const drop = new Set(found.byId ? found.image.references : [parseReference(ref).normalized]);
    const id = found.image.manifestDigest;
    await updateRefs(l, (refs) => refs.filter((r) => !(drop.has(r.ref) || (found.byId && r.manifest.digest === id))));
  }
  async prune(): Promise<{ removedLayers: number; bytes: number }> {
    return prune(await this.init());
  }
  async documents(ref: string): Promise<ImageDocuments | undefined> {
    return imageDocuments(await this.init(), ref);
  }
  async addLayer(layer: NewLayer): Promise<StoredLayer> {
    return addLayer(await this.init(), layer);
  }
  async findLayer(diffId: string, descriptor: LayerDescriptor): Promise<StoredLayer | undefined> {
    return findLayer(await this.init(), diffId, descriptor);
  }
  async importLayer(file: string, diffId: string, descriptor: LayerDescriptor): Promise<StoredLayer> {
    const { importLayer } = await import('./import-layer.ts');
    return importLayer(await this.init(), file, diffId, descriptor);
  }
  async blobFile(digest: string): Promise<string | undefined> {
    const l = await this.init();
    return (await hasBlob(l, digest)) ? blobPath(l, digest) : undefined;
  }
  async createImage(
    config: Record<string, unknown>,
    layers: readonly LayerDescriptor[],
    refs: readonly string[],
  ): Promise<LocalImage> {
    return createImage(
      await this.init(),
      config,
      layers,
      refs.map((r) => parseReference(r).normalized),
    );
  }
}

export function openImageStore(root: string): ImageStore {
  return new Store(root);
}
