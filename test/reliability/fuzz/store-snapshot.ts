// What must not change when a load or pull fails: the image index, the blobs and the unpacked
// layers, and the temp dir must be empty again.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface StoreSnapshot {
  readonly index: string;
  readonly blobs: readonly string[]; // "name size"
  readonly layers: readonly string[];
}

const list = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);

export function snapshotStore(imagesRoot: string): StoreSnapshot {
  const blobDir = join(imagesRoot, 'blobs', 'sha256');
  return {
    index: existsSync(join(imagesRoot, 'index.json')) ? readFileSync(join(imagesRoot, 'index.json'), 'utf8') : '',
    blobs: list(blobDir).map((b) => `${b} ${statSync(join(blobDir, b)).size}`),
    layers: list(join(imagesRoot, 'layers')),
  };
}

export const tempFilesOf = (imagesRoot: string): string[] => list(join(imagesRoot, 'tmp'));
