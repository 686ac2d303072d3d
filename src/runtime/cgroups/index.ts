// Picks the cgroup implementation for this host's layout; callers only see ContainerCgroup.
import { join } from 'node:path';
import type { Host } from '../host.ts';
import { detectCgroups, type CgroupMounts } from './detect.ts';
import type { CgroupDriver } from './types.ts';
import { v1Cgroup } from './v1.ts';
import { v2Cgroup } from './v2.ts';

export type { CgroupDriver, ContainerCgroup, CgroupStats } from './types.ts';
export { parseOomKills } from './types.ts';

export function cgroupDriver(host: Host, mounts: CgroupMounts): CgroupDriver {
  const parents = [...new Set([...Object.values(mounts.v1), ...(mounts.v2 ? [mounts.v2] : [])])].map((m) =>
    join(m, 'gantry'),
  );
  return {
    layout: mounts.layout,
    async listNames(suffix = '') {
      // The suffix first: every state root's groups share these parents (11 on a v1 host), and a
      // check of each one's cgroup.procs was ≈ 1,000 stats per command with 90 containers elsewhere.
      const names = new Set<string>();
      for (const p of parents) {
        if (!host.exists(p)) continue;
        for (const n of await host.subdirs(p))
          if (n.endsWith(suffix) && !names.has(n) && host.exists(`${p}/${n}/cgroup.procs`)) names.add(n);
      }
      return [...names];
    },
    forContainer: (name) =>
      mounts.layout === 'v2' && mounts.v2
        ? v2Cgroup(host, mounts.v2, name)
        : v1Cgroup(host, mounts.v1, mounts.v2, name),
  };
}

export async function hostCgroupDriver(host: Host): Promise<CgroupDriver> {
  return cgroupDriver(host, detectCgroups(await host.readFile('/proc/self/mountinfo')));
}
