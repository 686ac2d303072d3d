// Kernel checks: version, the namespaces the shim unshares, overlayfs (image layers), openat2
// (every path inside a rootfs is opened with RESOLVE_IN_ROOT), seccomp filters (the default
// profile) and mount_setattr. Syscall support is read from the version: Node cannot probe a
// syscall, and running the shim to probe would need root.
import type { DoctorCheck } from './check.ts';
import type { DoctorProbe } from './probe.ts';

const NAMESPACES = ['mnt', 'uts', 'ipc', 'pid', 'net', 'cgroup'];

export function kernelVersion(release: string): readonly [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(release);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

const atLeast = (v: readonly [number, number], major: number, minor: number): boolean =>
  v[0] > major || (v[0] === major && v[1] >= minor);

export function kernelChecks(p: DoctorProbe): DoctorCheck[] {
  const v = kernelVersion(p.kernelRelease);
  const upgrade = (want: string): string =>
    `needs Linux ${want} or later (this is ${p.kernelRelease}): upgrade the kernel`;
  const missingNs = NAMESPACES.filter((ns) => !p.exists(`/proc/self/ns/${ns}`));
  const filesystems = p.readFile('/proc/filesystems') ?? '';
  const overlayModule = p.exists(`/lib/modules/${p.kernelRelease}/kernel/fs/overlayfs`);
  const seccompActions = p.readFile('/proc/sys/kernel/seccomp/actions_avail') ?? '';
  return [
    { name: 'kernel', required: true, ok: atLeast(v, 5, 6), detail: `Linux ${p.kernelRelease}`, fix: upgrade('5.6') },
    {
      name: 'namespaces',
      required: true,
      ok: missingNs.length === 0,
      detail: NAMESPACES.join(', '),
      fix: `missing ${missingNs.join(', ')}: a kernel built with CONFIG_NAMESPACES and each *_NS option`,
    },
    {
      name: 'overlayfs',
      required: true,
      ok: /\toverlay\n/.test(filesystems) || overlayModule,
      detail: /\toverlay\n/.test(filesystems) ? 'loaded' : 'module available',
      fix: 'the overlay filesystem is not available: `modprobe overlay` or a kernel with CONFIG_OVERLAY_FS',
    },
    {
      name: 'openat2',
      required: true,
      ok: atLeast(v, 5, 6),
      detail: 'RESOLVE_IN_ROOT (Linux 5.6+)',
      fix: upgrade('5.6'),
    },
    {
      name: 'seccomp',
      required: true,
      ok: /\berrno\b/.test(seccompActions),
      detail: 'filters (the default profile)',
      fix: 'seccomp filters are not available: a kernel with CONFIG_SECCOMP_FILTER',
    },
    {
      name: 'mount_setattr',
      required: false,
      ok: atLeast(v, 5, 12),
      detail: 'Linux 5.12+ (optional today)',
      fix: upgrade('5.12'),
    },
  ];
}
