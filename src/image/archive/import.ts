// `image import TARBALL|- REF`: a rootfs tarball (plain, gzip or zstd) becomes a one-layer image
// with an empty config, or the one `--change` instructions give it, as `docker import` makes.
import { createReadStream } from 'node:fs';
import { MT, hostPlatform, layerMediaType } from '../manifest.ts';
import { detectCompression } from '../unpack/decompress.ts';
import { unpackLayer } from '../unpack/unpack-layer.ts';
import type { ArchiveSource, ImportOptions, LocalImage } from '../types.ts';
import { BlobWriter, putBlob } from '../store/blobs.ts';
import type { Layout } from '../store/layout.ts';
import { installLayer } from '../store/layers.ts';
import { describe, recordImage } from '../store/images.ts';
import { withActivity } from '../store/activity.ts';

async function* copyInto(source: ArchiveSource, w: BlobWriter, head: Buffer[]): AsyncGenerator<Buffer> {
  const data = typeof source === 'string' ? (createReadStream(source) as AsyncIterable<Buffer>) : source.data;
  for await (const c of data) {
    if (head.length === 0) head.push(Buffer.from(c.subarray(0, 16)));
    await w.write(c);
    yield c;
  }
}

export async function importRootfs(
  l: Layout,
  tarball: ArchiveSource,
  ref: string,
  opts: ImportOptions = {},
): Promise<LocalImage> {
  const name = typeof tarball === 'string' ? tarball : tarball.name;
  return withActivity(l, async () => {
    const w = new BlobWriter(l);
    const head: Buffer[] = [];
    let blobDigest = '';
    const diffId = await installLayer(l, async (dir) => {
      const r = await unpackLayer(copyInto(tarball, w, head), dir, ref);
      blobDigest = await w.commit(undefined, `image import ${name}`);
      return r;
    }).catch(async (err: unknown) => {
      await w.abort();
      throw err;
    });
    const p = hostPlatform();
    const config = {
      architecture: p.architecture,
      os: p.os,
      created: new Date().toISOString(),
      config: opts.config ?? {},
      rootfs: { type: 'layers', diff_ids: [diffId] },
      history: [
        {
          created: new Date().toISOString(),
          created_by: `gantry image import ${name}`,
          ...(opts.message ? { comment: opts.message } : {}),
        },
      ],
    };
    const cfgBytes = Buffer.from(JSON.stringify(config));
    const cfgDigest = await putBlob(l, cfgBytes);
    const manifest = {
      schemaVersion: 2,
      mediaType: MT.ociManifest,
      config: { mediaType: MT.ociConfig, digest: cfgDigest, size: cfgBytes.length },
      layers: [
        { mediaType: layerMediaType(detectCompression(head[0] ?? Buffer.alloc(0))), digest: blobDigest, size: w.bytes },
      ],
    };
    const desc = await recordImage(l, Buffer.from(JSON.stringify(manifest)), [ref]);
    return describe(l, desc.digest, [ref]);
  });
}
