// What every runtime operation needs: the host door, the containers directory, the cgroup
// driver (detected once) and the lookup of a container's stored state.
import type { Host } from './host.ts';
import { hostCgroupDriver, type CgroupDriver, type ContainerCgroup } from './cgroups/index.ts';
import { containerPaths, readState, type ContainerPaths, type StoredState } from './state.ts';
import { NotFoundError } from './errors.ts';

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
    cgroup: async (id) => (await ctx.driver()).forContainer(id),
  };
  return ctx;
}
