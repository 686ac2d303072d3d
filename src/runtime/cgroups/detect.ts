// Which cgroup layout the host has, read from /proc/self/mountinfo: pure v2, v1, or hybrid
// (v1 controllers plus a controller-less cgroup2 at …/unified, as on this project's CI machine).

export interface CgroupMounts {
  readonly layout: 'v1' | 'v2' | 'hybrid';
  /** v1 controller → mount point (e.g. memory → /sys/fs/cgroup/memory). */
  readonly v1: Readonly<Record<string, string>>;
  readonly v2: string | undefined;
}

const V1_WANTED = ['memory', 'cpu', 'cpuacct', 'pids', 'cpuset', 'freezer', 'devices'];

export function detectCgroups(mountinfo: string): CgroupMounts {
  const v1: Record<string, string> = {};
  let v2: string | undefined;
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const mountPoint = left.split(' ')[4];
    const [fstype, , superOpts] = right.split(' ');
    if (!mountPoint) continue;
    if (fstype === 'cgroup2') v2 = mountPoint;
    if (fstype !== 'cgroup') continue;
    for (const opt of (superOpts ?? '').split(',')) if (V1_WANTED.includes(opt) && !v1[opt]) v1[opt] = mountPoint;
  }
  const hasV1 = Object.keys(v1).length > 0;
  if (!hasV1 && v2) return { layout: 'v2', v1, v2 };
  return { layout: v2 ? 'hybrid' : 'v1', v1, v2 };
}
