// What every runtime operation needs: the host door, the containers directory, the cgroup
// driver (detected once) and the lookup of a container's stored state.
import type { Host } from './host.ts';
import { hostCgroupDriver, type CgroupDriver, type ContainerCgroup } from './cgroups/index.ts';
import { containerPaths, readState, type ContainerPaths, type StoredState } from './state.ts';
import { NotFoundError } from './errors.ts';

/**
 * The container's cgroup name: its id plus a hash of the state dir, so two gantry roots on one
 * host (parallel test suites) never share, and so never kill, each other's groups.
 */
export function cgroupName(containersDir: string, id: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < containersDir.length; i++) h = Math.imul(h ^ containersDir.charCodeAt(i), 0x01000193) >>> 0;
  return `${id}.${h.toString(16).padStart(8, '0')}`;
}

export interface RuntimeContext {
  readonly host: Host;
  readonly containersDir: string;
  driver(): Promise<CgroupDriver>;
  paths(id: string): ContainerPaths;
  load(id: string): { readonly stored: StoredState; readonly paths: ContainerPaths };
  cgroup(id: string): Promise<ContainerCgroup>;
}

export function runtimeContext(host: Host, containersDir: string): RuntimeContext {
  let driver: Promise<CgroupDriver> | undefined;
  const ctx: RuntimeContext = {
    host,
    containersDir,
    driver: () => (driver ??= hostCgroupDriver(host)),
    paths: (id) => containerPaths(containersDir, id),
    load(id) {
      const paths = ctx.paths(id);
      const stored = readState(paths);
      if (!stored) throw new NotFoundError(id);
      return { stored, paths };
    },
    cgroup: async (id) => (await ctx.driver()).forContainer(cgroupName(containersDir, id)),
  };
  return ctx;
}
