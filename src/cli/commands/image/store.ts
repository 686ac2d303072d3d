// The image store every `gantry image` command opens: under the state root (GANTRY_ROOT).
import { openImageStore, type ImageStore } from '../../../image/index.ts';
import { stateDirs, stateRoot } from '../../../common/state-root.ts';

export const imageStore = (): ImageStore => openImageStore(stateDirs(stateRoot()).images);
