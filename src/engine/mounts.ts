// A service's volumes, tmpfs and volumes_from → runtime mounts. Named volumes are directories
// under the state root (volumes.ts); bind sources that are missing are created, as Compose does.
import type { MountSpec } from '../runtime/index.ts';
import type { Project, ServiceConfig, ServiceVolumeConfig } from '../project/model.ts';
import { UnsupportedError } from '../common/errors.ts';
import { ensureBindSource, volumeData } from './volumes.ts';
import { parseBytes } from '../common/bytes.ts';

/** `TARGET[:size=64m,mode=1777]`; size in Compose's byte units, as `container run --tmpfs` reads it. */
export function parseTmpfs(text: string): MountSpec {
  const [target = '', opts = ''] = text.split(':');
  let size: number | undefined;
  let mode: number | undefined;
  for (const o of opts.split(',').filter(Boolean)) {
    if (o.startsWith('size=') && parseBytes(o.slice(5)) !== undefined) size = parseBytes(o.slice(5));
    else if (/^mode=[0-7]{1,4}$/.test(o)) mode = parseInt(o.slice(5), 8);
    else throw new UnsupportedError(`tmpfs ${JSON.stringify(text)}: option ${JSON.stringify(o)} is not supported (size=BYTES, mode=OCTAL)`);
  }
  return { type: 'tmpfs', target, ...(size !== undefined ? { size } : {}), ...(mode !== undefined ? { mode } : {}) };
}

function mountOf(root: string, project: Project, svc: ServiceConfig, v: ServiceVolumeConfig): MountSpec {
  const ro = v.read_only ? { readOnly: true } : {};
  if (v.type === 'tmpfs') {
    return { type: 'tmpfs', target: v.target, ...(v.tmpfs?.size !== undefined ? { size: v.tmpfs.size } : {}), ...(v.tmpfs?.mode !== undefined ? { mode: v.tmpfs.mode } : {}) };
  }
  if (v.type === 'bind' && v.source) {
    ensureBindSource(v.source, v.bind?.create_host_path ?? true);
    const prop = v.bind?.propagation as MountSpec['propagation'];
    return { type: 'bind', source: v.source, target: v.target, ...ro, ...(prop ? { propagation: prop } : {}) };
  }
  if (v.type === 'volume' && v.source && project.volumes[v.source]) {
    const data = volumeData(root, project.volumes[v.source]!.name);
    return { type: 'bind', source: v.volume?.subpath ? `${data}/${v.volume.subpath}` : data, target: v.target, ...ro };
  }
  throw new UnsupportedError(`service ${svc.name}: volume ${v.source ?? '(anonymous)'}:${v.target} of type ${v.type} is not supported yet`);
}

/** `fromMounts`: the mounts of the containers named in volumes_from (already created). */
export function mountsFor(root: string, project: Project, svc: ServiceConfig, fromMounts: readonly MountSpec[] = []): readonly MountSpec[] {
  return [...fromMounts, ...svc.volumes.map((v) => mountOf(root, project, svc, v)), ...(svc.tmpfs ?? []).map(parseTmpfs)];
}

/** Named volumes this service mounts that are new: the engine fills them from the image. */
export function namedMounts(project: Project, svc: ServiceConfig): readonly { readonly volume: string; readonly target: string; readonly nocopy: boolean }[] {
  return svc.volumes
    .filter((v) => v.type === 'volume' && v.source && project.volumes[v.source])
    .map((v) => ({ volume: project.volumes[v.source!]!.name, target: v.target, nocopy: v.volume?.nocopy ?? false }));
}
