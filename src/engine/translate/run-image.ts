// IMAGE for `container run`: the one place that turns the argument into layer directories and
// an image config: a root filesystem directory (a path with a slash that exists), else an image
// of the local store. No pull here: `container run` works offline, as its tests and examples do.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../../common/errors.ts';
import { stateDirs } from '../../common/state-root.ts';
import type { SpecImage } from './to-spec.ts';

export type RunImage = SpecImage;

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export async function resolveRunImage(image: string, root: string): Promise<RunImage> {
  if (image.includes('/') && isDirectory(resolve(image))) return { layers: [resolve(image)], config: { env: [] } };
  const { openImageStore } = await import('../../image/index.ts');
  const img = await openImageStore(stateDirs(root).images).resolve(image);
  if (!img)
    throw new UsageError(
      `image ${image}: not found locally (gantry image pull ${image}, or gantry image load -i FILE)`,
    );
  return { layers: img.layers, config: img.config };
}
