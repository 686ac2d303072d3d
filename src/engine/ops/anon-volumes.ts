// Anonymous volumes: a service's `- /app/node_modules` and every VOLUME of its image that no
// mount of the service covers. One volume per container and target, named from both, so a
// recreated container finds the same one again (Compose carries them over the same way);
// `down -v` and `rm -v` remove them, plain `down` keeps them, as Docker.
import { sha256 } from '../../common/lazy-crypto.ts';
import { posix } from 'node:path';
import type { LocalImage } from '../../image/index.ts';
import type { MountSpec } from '../../runtime/index.ts';
import type { ServiceConfig } from '../../project/model.ts';
import { createVolume, listVolumes, populateVolume, removeVolume, volumeData } from './volumes.ts';

export const ANON_LABELS = {
  container: 'io.gantry.anonymous.container',
  project: 'com.docker.compose.project',
} as const;

/** 64 hex digits, as Docker's anonymous volume names look. */
export const anonVolumeName = (container: string, target: string): string =>
  sha256()
    .update(`${container}\0${posix.normalize(target)}`)
    .digest('hex');

/** The targets that get an anonymous volume, with whether the image's content is copied in. */
export function anonTargets(svc: ServiceConfig, image: LocalImage): { target: string; nocopy: boolean }[] {
  const own = svc.volumes
    .filter((v) => v.type === 'volume' && !v.source)
    .map((v) => ({ target: v.target, nocopy: v.volume?.nocopy ?? false }));
  const covered = new Set([
    ...svc.volumes.map((v) => posix.normalize(v.target)),
    ...svc.refs.tmpfs.map((t) => posix.normalize(t.target)),
  ]);
  const fromImage = image.config.volumes
    .filter((t) => !covered.has(posix.normalize(t)))
    .map((target) => ({ target, nocopy: false }));
  return [...own, ...fromImage];
}

/** Creates (or finds again) the container's anonymous volumes, filled from the image on first use. */
export async function anonMounts(
  root: string,
  project: string,
  container: string,
  svc: ServiceConfig,
  image: LocalImage,
): Promise<MountSpec[]> {
  const out: MountSpec[] = [];
  for (const { target, nocopy } of anonTargets(svc, image)) {
    const name = anonVolumeName(container, target);
    createVolume(root, name, project, { [ANON_LABELS.project]: project, [ANON_LABELS.container]: container });
    if (!nocopy) await populateVolume(root, name, image.layers, target);
    out.push({ type: 'bind', source: volumeData(root, name), target });
  }
  return out;
}

/** Removes the anonymous volumes of the given containers (or, `containers` absent, of the whole project). */
export function removeAnonVolumes(root: string, project: string, containers?: readonly string[]): string[] {
  const gone = listVolumes(root).filter((v) => {
    const owner = v.labels[ANON_LABELS.container];
    return (
      owner !== undefined && v.labels[ANON_LABELS.project] === project && (!containers || containers.includes(owner))
    );
  });
  for (const v of gone) removeVolume(root, v.name);
  return gone.map((v) => v.name);
}
