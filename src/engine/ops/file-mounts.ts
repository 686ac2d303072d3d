// Secrets and configs of a container: written once at create into <project state>/files/<container>
// (0700 dirs, so only root on the host reads them) with the requested mode and owner, then bound
// read-only at their targets. Removed with the container.
import { chmodSync, chownSync, lstatSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MountSpec } from '../../runtime/index.ts';
import type { Project, ServiceConfig } from '../../project/model.ts';
import { fileObjectContent, serviceFileRefs } from '../../project/file-objects.ts';
import { ConfigError } from '../../common/errors.ts';
import { mkdirPrivate } from '../../common/private-files.ts';
import { removeInside } from '../../common/remove-inside.ts';
import { checkName } from '../../common/names.ts';

/** Compose's default: readable by everyone in the container, writable by no one. */
const DEFAULT_MODE = 0o444;

const filesDir = (projectDir: string, container: string): string =>
  join(projectDir, 'files', checkName('container', container));

/**
 * A container's files directory removed when there is one. Why the lstat first: removeInside
 * resolves the real paths of both ends (a statx per path component, 12 per container here), and
 * most services have no secret or config, so each create of an `up` paid them for nothing, on the
 * main thread between the network's creation and the containers' attach (issue 20, bench/RESULTS.md
 * "up13"). Anything at the path, a link included, still goes through removeInside's checks.
 */
function removeFilesDir(projectDir: string, dir: string): void {
  if (lstatSync(dir, { throwIfNoEntry: false }) === undefined) return;
  removeInside(join(projectDir, 'files'), dir);
}

function numericId(what: string, v: string | undefined): number {
  if (v === undefined) return 0;
  if (!/^\d+$/.test(v)) throw new ConfigError(`${what} must be a numeric id, got "${v}"`);
  return Number(v);
}

/** Fails with the first secret or config of `services` whose content cannot be had, before anything is made. */
export function checkFileSources(project: Project, services: readonly string[]): void {
  for (const s of services)
    for (const { kind, ref } of serviceFileRefs(project.services[s]!)) fileObjectContent(project, kind, ref.source);
}

export function materializeFiles(
  project: Project,
  projectDir: string,
  svc: ServiceConfig,
  container: string,
): MountSpec[] {
  const refs = serviceFileRefs(svc);
  const dir = filesDir(projectDir, container);
  removeFilesDir(projectDir, dir);
  if (refs.length === 0) return [];
  mkdirPrivate(dir);
  return refs.map(({ kind, ref }, i) => {
    // Indexed: one source may be mounted twice, at two targets with two modes.
    const file = join(dir, `${i}-${kind}-${ref.source}`);
    writeFileSync(file, fileObjectContent(project, kind, ref.source), { mode: 0o600 });
    chownSync(
      file,
      numericId(`${svc.name}: ${kind} ${ref.source}: uid`, ref.uid),
      numericId(`${svc.name}: ${kind} ${ref.source}: gid`, ref.gid),
    );
    chmodSync(file, ref.mode ?? DEFAULT_MODE);
    return { type: 'bind', source: file, target: ref.target, readOnly: true };
  });
}

export function removeFiles(projectDir: string, container: string): void {
  removeFilesDir(projectDir, filesDir(projectDir, container));
}
