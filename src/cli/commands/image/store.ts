// The image store every `gantry image` command opens: under the state root (GANTRY_ROOT).
// Loaded on first use: the image module (registry client, archives, zstd, child processes) is
// ≈ 100 KB of the bundle that no other command needs at start.
import type { ImageStore } from '../../../image/index.ts';
import { stateDirs, stateRoot } from '../../../common/state-root.ts';
import { secureStateRoot } from '../../../common/secure-root.ts';

export async function imageStore(): Promise<ImageStore> {
  const { openImageStore } = await import('../../../image/index.ts');
  secureStateRoot(stateRoot());
  return openImageStore(stateDirs(stateRoot()).images);
}
