// A service's volumes, tmpfs (parsed at load: model refs) and volumes_from → runtime mounts. Named volumes are directories
// under the state root (volumes.ts); bind sources that are missing are created, as Compose does.
import { posix } from 'node:path';
import type { MountSpec } from '../../runtime/index.ts';
import type { Project, ServiceConfig, ServiceVolumeConfig, TmpfsMount } from '../../project/model.ts';
import { ConfigError, UnsupportedError } from '../../common/errors.ts';
import { ensureBindSource } from '../ops/volumes.ts';
import { isPlainVolume, volumeSource } from '../ops/volume-driver.ts';

function mountOf(root: string, project: Project, svc: ServiceConfig, v: ServiceVolumeConfig): MountSpec {
  const ro = v.read_only ? { readOnly: true } : {};
  if (v.type === 'tmpfs') {
    return {
      type: 'tmpfs',
      target: v.target,
      ...(v.tmpfs?.size !== undefined ? { size: v.tmpfs.size } : {}),
      ...(v.tmpfs?.mode !== undefined ? { mode: v.tmpfs.mode } : {}),
    };
  }
  if (v.type === 'bind' && v.source) {
    ensureBindSource(v.source, v.bind?.create_host_path ?? true);
    const prop = v.bind?.propagation as MountSpec['propagation'];
    return { type: 'bind', source: v.source, target: v.target, ...ro, ...(prop ? { propagation: prop } : {}) };
  }
  if (v.type === 'volume' && v.source && project.volumes[v.source]) {
    const from = volumeSource(root, v.source, project.volumes[v.source]!);
    if (from.type === 'tmpfs') return { ...from, target: v.target, ...ro };
    const sub = v.volume?.subpath !== undefined ? { subpath: volumeSubpath(svc, v.volume.subpath) } : {};
    return { type: 'bind', source: from.source!, ...sub, target: v.target, ...ro };
  }
  throw new UnsupportedError(
    `service ${svc.name}: volume ${v.source ?? '(anonymous)'}:${v.target} of type ${v.type} is not supported yet`,
  );
}

/**
 * A subpath names a place inside its volume: relative, never climbing out by `..`. Symlinks in
 * the volume are the shim's to resolve, inside the volume, when it mounts (MountSpec.subpath).
 */
function volumeSubpath(svc: ServiceConfig, subpath: string): string {
  const norm = posix.normalize(subpath);
  if (subpath.includes('\0') || posix.isAbsolute(subpath) || norm === '..' || norm.startsWith('../')) {
    throw new ConfigError(`service ${svc.name}: volume subpath "${subpath}" must be a relative path inside the volume`);
  }
  return norm;
}

export const tmpfsMount = (t: TmpfsMount): MountSpec => ({ type: 'tmpfs', ...t });

/** `fromMounts`: the mounts of the containers named in volumes_from (already created). */
/** Anonymous volumes (no source) are left out: anon-volumes.ts makes them per container. */
export function mountsFor(
  root: string,
  project: Project,
  svc: ServiceConfig,
  fromMounts: readonly MountSpec[] = [],
): readonly MountSpec[] {
  const given = svc.volumes.filter((v) => !(v.type === 'volume' && !v.source));
  return [...fromMounts, ...given.map((v) => mountOf(root, project, svc, v)), ...svc.refs.tmpfs.map(tmpfsMount)];
}

/** Named volumes this service mounts that are new: the engine fills them from the image. */
export function namedMounts(
  project: Project,
  svc: ServiceConfig,
): readonly { readonly volume: string; readonly target: string; readonly nocopy: boolean }[] {
  return svc.volumes
    .filter(
      (v) => v.type === 'volume' && v.source && project.volumes[v.source] && isPlainVolume(project.volumes[v.source]!),
    )
    .map((v) => ({ volume: project.volumes[v.source!]!.name, target: v.target, nocopy: v.volume?.nocopy ?? false }));
}
