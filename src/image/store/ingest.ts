// Bringing one layer into the store from wherever it comes from (registry stream, archive file,
// a blob already stored): download and unpack in ONE pass, verify the blob digest and the
// diff_id before any privileged metadata is applied, and only then make blob and layer
// directory visible.
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { RuntimeError } from '../../common/errors.ts';
import type { Descriptor } from '../manifest.ts';
import { tap, unpackLayer } from '../unpack/unpack-layer.ts';
import { BlobWriter, hasBlob } from './blobs.ts';
import { blobPath, type Layout } from './layout.ts';
import { installLayer, layerReady, withLayerLock } from './layers.ts';

export interface LayerJob {
  readonly descriptor: Descriptor;
  readonly diffId: string;
  /** Where the blob comes from when the store lacks it. */
  readonly fetch: () => Promise<AsyncIterable<Buffer>>;
  readonly label: string;
  readonly signal?: AbortSignal;
  readonly onBytes?: (received: number) => void;
}

export type LayerOutcome = 'exists' | 'unpacked' | 'fetched';

async function* teeToBlob(
  src: AsyncIterable<Buffer>,
  w: BlobWriter,
  onBytes?: (n: number) => void,
): AsyncGenerator<Buffer> {
  for await (const c of src) {
    await w.write(c);
    onBytes?.(w.bytes);
    yield c;
  }
}

export async function ensureLayer(l: Layout, job: LayerJob): Promise<LayerOutcome> {
  const { descriptor: d, diffId, label } = job;
  return withLayerLock(
    l,
    d.digest,
    async () => {
      const haveBlob = await hasBlob(l, d.digest);
      if (haveBlob && (await layerReady(l, diffId))) return 'exists';
      if (haveBlob) {
        // Re-hashed on the way: a stored blob changed on disk is refused before any xattr is applied.
        const hash = createHash('sha256');
        const source = tap(createReadStream(blobPath(l, d.digest)), (c) => hash.update(c));
        const verify = async (): Promise<void> => {
          const got = `sha256:${hash.digest('hex')}`;
          if (got !== d.digest) {
            throw new RuntimeError(`image ${label}: stored blob ${d.digest} is corrupt (content digest ${got})`);
          }
        };
        await installLayer(l, (dir) => unpackLayer(source, dir, label, diffId, verify));
        return 'unpacked';
      }
      const source = await job.fetch();
      const w = new BlobWriter(l);
      try {
        const what = `image ${label}: layer ${d.digest}`;
        // The blob digest is checked before unpackLayer applies any xattr or device node.
        const verify = async (): Promise<void> => {
          if (w.bytes !== d.size) {
            throw new RuntimeError(`${what}: got ${w.bytes} bytes, expected ${d.size}; nothing kept`);
          }
          await w.seal(d.digest, what);
        };
        await installLayer(l, async (dir) => {
          const r = await unpackLayer(teeToBlob(source, w, job.onBytes), dir, label, diffId, verify);
          await w.commit(d.digest, what);
          return r;
        });
      } catch (err) {
        await w.abort();
        throw err;
      }
      return 'fetched';
    },
    job.signal,
  );
}
