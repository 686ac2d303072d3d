// Picks the cgroup implementation for this host's layout; callers only see ContainerCgroup.
import type { Host } from '../host.ts';
import { detectCgroups, type CgroupMounts } from './detect.ts';
import type { CgroupDriver } from './types.ts';
import { v1Cgroup } from './v1.ts';
import { v2Cgroup } from './v2.ts';

export type { CgroupDriver, ContainerCgroup, CgroupStats } from './types.ts';
export { parseOomKills } from './types.ts';

export function cgroupDriver(host: Host, mounts: CgroupMounts): CgroupDriver {
  return {
    layout: mounts.layout,
    forContainer: (name) =>
      mounts.layout === 'v2' && mounts.v2 ? v2Cgroup(host, mounts.v2, name) : v1Cgroup(host, mounts.v1, mounts.v2, name),
  };
}

export async function hostCgroupDriver(host: Host): Promise<CgroupDriver> {
  return cgroupDriver(host, detectCgroups(await host.readFile('/proc/self/mountinfo')));
}
