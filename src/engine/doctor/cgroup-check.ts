// The cgroup layout (v1, hybrid or v2, read the way the runtime reads it) and whether the
// controllers gantry writes limits to are there.
import { detectCgroups } from '../../runtime/cgroups/detect.ts';
import type { DoctorCheck } from './check.ts';
import type { DoctorProbe } from './probe.ts';

// v2 needs these delegated from the root; v1 mounts each controller (freezer: pause; devices: the
// device allow-list).
const V2_NEEDED = ['cpu', 'memory', 'pids'];
const V1_NEEDED = ['cpu', 'memory', 'pids', 'freezer', 'devices'];

export function cgroupCheck(p: DoctorProbe): DoctorCheck {
  const mounts = detectCgroups(p.readFile('/proc/self/mountinfo') ?? '');
  let have: string[];
  let needed: string[];
  if (mounts.layout === 'v2' && mounts.v2) {
    have = (p.readFile(`${mounts.v2}/cgroup.controllers`) ?? '').split(/\s+/).filter((c) => c !== '');
    needed = V2_NEEDED;
  } else {
    have = Object.keys(mounts.v1);
    needed = V1_NEEDED;
  }
  const missing = needed.filter((c) => !have.includes(c));
  const none = mounts.layout !== 'v2' && Object.keys(mounts.v1).length === 0;
  return {
    name: 'cgroups',
    required: true,
    ok: !none && missing.length === 0,
    detail: none
      ? 'no cgroup filesystem mounted'
      : `${mounts.layout}, controllers: ${needed.filter((c) => have.includes(c)).join(' ')}`,
    fix: none
      ? 'mount cgroup2 on /sys/fs/cgroup (systemd does this at boot)'
      : `controllers missing: ${missing.join(', ')} (enable them on the kernel command line or in the cgroup mounts)`,
  };
}
