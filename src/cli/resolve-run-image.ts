// IMAGE for `container run`: the one place that turns the argument into layer directories and
// an image config. In this branch it accepts a root filesystem directory (or --rootfs DIR); the
// image store plugs in here.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../common/errors.ts';

export interface RunImage {
  readonly layers: readonly string[]; // lowest first
  readonly config: {
    readonly env?: readonly string[];
    readonly entrypoint?: readonly string[];
    readonly cmd?: readonly string[];
    readonly workingDir?: string;
    readonly user?: string;
    readonly stopSignal?: string;
  };
}

export async function resolveRunImage(image: string): Promise<RunImage> {
  const dir = resolve(image);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {}
  if (!isDir) throw new UsageError(`image ${image}: not found (this build accepts a root filesystem directory)`);
  return { layers: [dir], config: {} };
}
