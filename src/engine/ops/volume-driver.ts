// A named volume → what is mounted: the local driver's own directory, or what its driver_opts
// say as Docker's local driver reads them (`type: none, o: bind, device: PATH` binds PATH;
// `type: tmpfs` is a tmpfs per container). Other drivers and mount types need plugins or
// filesystems gantry does not mount: refused naming the volume. An external volume must exist.
import { existsSync } from 'node:fs';
import type { MountSpec } from '../../runtime/index.ts';
import type { VolumeConfig } from '../../project/model.ts';
import { UnsupportedError, RuntimeError } from '../../common/errors.ts';
import { parseBytes } from '../../common/bytes.ts';
import { readVolume, volumeData } from './volumes.ts';

type Source = Pick<MountSpec, 'type' | 'source' | 'size' | 'mode'>;

/** True when the volume's content is gantry's own directory (then it is filled from the image). */
export const isPlainVolume = (v: VolumeConfig): boolean => !v.driver_opts || Object.keys(v.driver_opts).length === 0;

export function volumeSource(root: string, key: string, v: VolumeConfig): Source {
  const at = `volumes.${key}`;
  if (v.driver !== undefined && v.driver !== 'local')
    throw new UnsupportedError(
      `${at}.driver: "${v.driver}" needs a Docker volume plugin; gantry has the local driver only`,
    );
  if (v.external && !readVolume(root, v.name))
    throw new RuntimeError(
      `${at}: external volume "${v.name}" does not exist (create it with gantry volume create ${v.name})`,
    );
  if (isPlainVolume(v)) return { type: 'bind', source: volumeData(root, v.name) };
  const o = v.driver_opts!;
  const opts = (o['o'] ?? '').split(',').filter(Boolean);
  if (o['type'] === 'none' && opts.includes('bind')) {
    const device = o['device'] ?? '';
    if (!device.startsWith('/'))
      throw new UnsupportedError(`${at}.driver_opts.device: "${device}" must be an absolute host path`);
    if (!existsSync(device)) throw new RuntimeError(`${at}.driver_opts.device: ${device} does not exist`);
    return { type: 'bind', source: device };
  }
  if (o['type'] === 'tmpfs') {
    let size: number | undefined;
    let mode: number | undefined;
    for (const opt of opts) {
      if (opt.startsWith('size=') && parseBytes(opt.slice(5)) !== undefined) size = parseBytes(opt.slice(5));
      else if (/^mode=[0-7]{1,4}$/.test(opt)) mode = parseInt(opt.slice(5), 8);
      else throw new UnsupportedError(`${at}.driver_opts.o: tmpfs option "${opt}" is not supported (size=, mode=)`);
    }
    return { type: 'tmpfs', ...(size !== undefined ? { size } : {}), ...(mode !== undefined ? { mode } : {}) };
  }
  throw new UnsupportedError(
    `${at}.driver_opts: type "${o['type'] ?? ''}" is not supported (type none with o bind, or type tmpfs)`,
  );
}
