// The image store every `gantry image` command opens: the engine's, under the state root
// (GANTRY_ROOT), loaded on first use.
import type { ImageStore } from '../../../engine/index.ts';

export async function imageStore(): Promise<ImageStore> {
  return (await import('../../../engine/index.ts')).hostImageStore();
}
