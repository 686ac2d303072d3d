// The overlay mount's options. mount(2) takes one page of option text, so absolute lowerdirs
// break at ~60 layers: we give lowerdirs relative to the layers' common parent and the shim
// chdirs there before mounting.
import { dirname, relative, sep } from 'node:path';

export interface OverlayMount {
  readonly cwd: string;
  readonly data: string;
}

const PAGE_LIMIT = 4095;

export function overlayMount(layers: readonly string[], upper: string, work: string): OverlayMount {
  if (layers.length === 0) throw new Error('rootfs has no layers');
  const cwd = commonParent(layers);
  // overlayfs lists the TOP layer first; the spec lists the lowest first.
  const lower = [...layers].reverse().map((l) => relative(cwd, l) || '.');
  for (const l of [...lower, upper, work]) if (/[:,\\]/.test(l)) throw new Error(`path ${l} contains ':' ',' or '\\' (overlay options cannot hold them)`);
  const data = `lowerdir=${lower.join(':')},upperdir=${upper},workdir=${work}`;
  if (data.length > PAGE_LIMIT)
    throw new Error(`${layers.length} layers make ${data.length} bytes of overlay options (limit ${PAGE_LIMIT}); squash the image`);
  return { cwd, data };
}

function commonParent(paths: readonly string[]): string {
  let common = dirname(paths[0]!);
  while (!paths.every((p) => p.startsWith(common === sep ? sep : common + sep))) common = dirname(common);
  return common;
}
