// create: the container's directory built in a staging name and renamed into place complete (rootfs
// dirs, /etc files, state), then its cgroup with the limits; start (lifecycle.ts) mends a create killed
// half-way with the same wholeCgroup.
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import type { ContainerSpec, ResourceSpec } from './spec.ts';
import { sha256 } from '../common/lazy-crypto.ts';
import type { ContainerCgroup } from './cgroups/index.ts';
import type { RuntimeContext } from './context.ts';
import { validId, writeState, type ContainerPaths } from './state.ts';
import { overlayMount } from './rootfs/overlay.ts';
import { containerError } from './errors.ts';
import { hostsFile, resolvConf } from './rootfs/etc-files.ts';
import { RuntimeError } from '../common/errors.ts';
import { recordEvent } from './record-event.ts';
import { stagingName } from './staging.ts';
import { mkdirPrivateAsync } from '../common/private-files.ts';
import { removeInsideAsync } from '../common/remove-inside.ts';
import { checkSpec } from './spec-check.ts';
import { isHostname } from '../common/host-names.ts';

export async function createContainer(ctx: RuntimeContext, id: string, spec: ContainerSpec): Promise<void> {
  if (!validId(id)) throw new RuntimeError(`container ${id}: invalid name (letters, digits, _ . -; at most 63)`);
  try {
    checkSpec(spec);
  } catch (err) {
    throw containerError(id, 'create', (err as Error).message, err);
  }
  const p = ctx.paths(id);
  if (existsSync(p.dir)) throw new RuntimeError(`container ${id}: already exists`);
  const t = ctx.paths(stagingName('creating', id)); // built here, renamed into place complete
  await mkdirPrivateAsync(ctx.containersDir);
  await fs.mkdir(t.dir, { mode: 0o700 }); // the spec and plan hold the container's env: secrets
  try {
    await fill(id, spec, t);
    await fs.rename(t.dir, p.dir);
  } catch (err) {
    await removeInsideAsync(ctx.containersDir, t.dir);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') throw new RuntimeError(`container ${id}: already exists`);
    throw err;
  }
  // After the state: prune removes only groups without one. A kill before this completes is
  // mended by start, which creates the group again (every step is idempotent).
  const cg = await ctx.cgroup(id);
  try {
    await wholeCgroup(cg, limitsOf(spec), p);
  } catch (err) {
    throw containerError(id, 'create cgroup', (err as Error).message, err);
  }
  recordEvent(ctx, id, 'create', {}, spec.labels ?? {});
}

/** The container directory's content: rootfs dirs, /etc files, state. */
async function fill(id: string, spec: ContainerSpec, p: ContainerPaths): Promise<void> {
  for (const l of spec.rootfs.layers)
    if (!(await isDir(l))) throw containerError(id, 'create', `rootfs layer ${l} is not a directory`);
  await Promise.all([fs.mkdir(p.upper), fs.mkdir(p.work), fs.mkdir(p.merged)]);
  await makeLayerLinks(id, spec, p);
  // a name may hold `_`, which is no hostname character: Docker's default, a short id, then
  const hostname = spec.hostname ?? (isHostname(id) ? id : sha256().update(id).digest('hex').slice(0, 12));
  let hostResolv = '';
  try {
    hostResolv = readFileSync('/etc/resolv.conf', 'utf8');
  } catch {}
  await Promise.all([
    fs.writeFile(p.etc.hosts, hostsFile(hostname, spec.extraHosts, spec.hostAddress)),
    fs.writeFile(p.etc.hostname, `${hostname}\n`),
    fs.writeFile(p.etc.resolv, resolvConf(hostResolv, spec.dns, spec.embeddedDns !== undefined)),
  ]);
  await writeState(p, { id, created: new Date().toISOString(), spec: { ...spec, hostname } });
}

/**
 * Creates the container's cgroup with its limits unless the cgroup-ready mark says a create
 * finished it and every group is still there (a reboot empties /sys/fs/cgroup): start then
 * skips rewriting them (≈ 15 writes per container on v1). The mark goes first, so a create
 * killed half-way is redone.
 */
export async function wholeCgroup(cg: ContainerCgroup, limits: ResourceSpec, p: ContainerPaths): Promise<void> {
  if (existsSync(p.cgroupReady) && cg.procsFiles.every((f) => existsSync(f))) return;
  await fs.rm(p.cgroupReady, { force: true });
  await cg.create(limits);
  await fs.writeFile(p.cgroupReady, '');
}

/** The spec's limits, with a device rule for each device node it passes in. */
export const limitsOf = (spec: ContainerSpec): ResourceSpec =>
  spec.devices?.length ? { ...spec.resources, devices: spec.devices } : (spec.resources ?? {});

/** Only for very deep images: the short names overlay needs (see rootfs/overlay.ts). */
async function makeLayerLinks(id: string, spec: ContainerSpec, p: ContainerPaths): Promise<void> {
  let links: readonly (readonly [string, string])[];
  try {
    links = overlayMount(spec.rootfs.layers, p.upper, p.work, p.layerLinks).links;
  } catch (err) {
    throw containerError(id, 'create', (err as Error).message, err);
  }
  if (links.length === 0) return;
  await fs.mkdir(p.layerLinks);
  await Promise.all(links.map(([path, target]) => fs.symlink(target, path)));
}

async function isDir(path: string): Promise<boolean> {
  return (await fs.stat(path).catch(() => undefined))?.isDirectory() ?? false;
}
