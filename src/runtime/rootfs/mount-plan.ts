// The mount half of a container's start plan: overlay rootfs, /dev, /proc, /sys, volumes, the
// /etc files, masks and read-only paths, all made inside the container's private mount
// namespace (so they vanish with it), then the pivot. The shim executes these ops in order.
import { posix } from 'node:path';
import type { ContainerSpec, DeviceSpec, MountSpec } from '../spec.ts';
import { MOUNT_ATTR, MS, PROPAGATION } from './flags.ts';
import { overlayMount } from './overlay.ts';
import { DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS, DEV_LINKS, DEVICES } from './defaults.ts';

export type Op = readonly string[];

export interface RootfsPaths {
  readonly merged: string;
  readonly layerLinks?: string;
  readonly upper: string;
  readonly work: string;
  readonly etc: { readonly hosts: string; readonly hostname: string; readonly resolv: string };
}

export interface HostFacts {
  /** The container's own cgroup dirs, shown read-only under /sys/fs/cgroup. */
  readonly cgroupViews?: readonly { readonly name: string; readonly dir: string }[];
  /** Whether a masked path exists on the host and is a directory (absent: skip). */
  readonly kind: (path: string) => 'dir' | 'file' | undefined;
  readonly nodev: boolean;
}

/** A path inside the rootfs: the shim resolves it with RESOLVE_IN_ROOT, so image symlinks stay inside. */
const R = (p: string): string => `@${posix.join('/', p)}`;
const mount = (src: string, dst: string, type: string, flags: number, data = ''): Op => [
  'mount',
  src,
  dst,
  type,
  String(flags),
  data,
];
const omount = (src: string, dst: string, type: string, flags: number, data = ''): Op => [
  'omount',
  src,
  dst,
  type,
  String(flags),
  data,
];

export function mountOps(spec: ContainerSpec, p: RootfsPaths, facts: HostFacts): Op[] {
  const M = p.merged;
  const ov = overlayMount(spec.rootfs.layers, p.upper, p.work, p.layerLinks, spec.rootfs.volatile);
  const ops: Op[] = [
    mount('', '/', '', MS.REC | MS.PRIVATE), // pivot_root needs non-shared; nothing leaks to the host
    ['chdir', ov.cwd],
    mount('overlay', M, 'overlay', facts.nodev ? MS.NODEV : 0, ov.data),
    ['chdir', '/'],
    ['root', M], // from here on, "@/…" paths resolve inside the rootfs
    ...devOps(spec.shmSize ?? 64 * 1024 * 1024),
    ...(spec.devices ?? []).flatMap(deviceOps),
    // the terminal is made here, in the container's devpts (the shim gets the master): /dev/pts/0, as runc's
    ...(spec.process.tty ? [['pts', R('dev/pts/ptmx'), R('dev/console')]] : []),
    ['mkdir', R('sys'), '755'],
    mount('sysfs', R('sys'), 'sysfs', (spec.privileged ? 0 : MS.RDONLY) | MS.NOSUID | MS.NOEXEC | MS.NODEV),
    ...cgroupOps(facts.cgroupViews ?? []),
    ['mkdir', R('proc'), '755'],
    mount('proc', R('proc'), 'proc', MS.NOSUID | MS.NOEXEC | MS.NODEV),
  ];
  for (const m of spec.mounts ?? []) ops.push(...userMountOps(m, facts.nodev));
  for (const [file, target] of [
    [p.etc.hosts, 'hosts'],
    [p.etc.hostname, 'hostname'],
    [p.etc.resolv, 'resolv.conf'],
  ] as const)
    ops.push(['mkdir', R('etc'), '755'], ['touch', R(`etc/${target}`)], mount(file, R(`etc/${target}`), '', MS.BIND));
  for (const [key, value] of Object.entries(spec.sysctls ?? {}))
    ops.push(['write', R(`proc/sys/${key.replace(/\./g, '/')}`), value]);
  // in its own UTS namespace only, as the hostname: a shared one is the host's
  if (spec.domainname && spec.namespaces?.uts === undefined)
    ops.push(['write', R('proc/sys/kernel/domainname'), spec.domainname]);
  // this process becomes PID 1 and its children inherit the value
  if (spec.oomScoreAdj !== undefined) ops.push(['write', R('proc/self/oom_score_adj'), String(spec.oomScoreAdj)]);
  for (const path of spec.maskedPaths ?? (spec.privileged ? [] : DEFAULT_MASKED_PATHS)) {
    const kind = facts.kind(path);
    if (kind === 'dir') ops.push(omount('tmpfs', R(path), 'tmpfs', MS.RDONLY, 'size=0'));
    if (kind === 'file') ops.push(omount(R('dev/null'), R(path), '', MS.BIND));
  }
  for (const path of spec.readonlyPaths ?? (spec.privileged ? [] : DEFAULT_READONLY_PATHS)) {
    if (!facts.kind(path)) continue;
    // Repeat nosuid/nodev/noexec: a read-only remount drops flags it is not given.
    ops.push(omount(R(path), R(path), '', MS.BIND | MS.REC));
    ops.push(omount(R(path), R(path), '', MS.BIND | MS.REMOUNT | MS.RDONLY | MS.NOSUID | MS.NODEV | MS.NOEXEC));
  }
  return ops;
}

/** After the pivot: the working dir (created inside the jail, so image symlinks resolve there), then a read-only rootfs. */
export function afterPivotOps(spec: ContainerSpec, nodev: boolean): Op[] {
  return [
    ['mkdir', spec.process.cwd, '755'],
    ...(spec.rootfs.readOnly ? [mount('/', '/', '', MS.BIND | MS.REMOUNT | MS.RDONLY | (nodev ? MS.NODEV : 0))] : []),
  ];
}

/** /sys/fs/cgroup as Docker shows it: the container's own groups, read-only (tools read limits there). */
function cgroupOps(views: readonly { readonly name: string; readonly dir: string }[]): Op[] {
  if (views.length === 0) return [];
  const ro = MS.BIND | MS.REMOUNT | MS.RDONLY | MS.NOSUID | MS.NODEV | MS.NOEXEC;
  const root = R('sys/fs/cgroup');
  if (views.length === 1 && views[0]!.name === '')
    return [mount(views[0]!.dir, root, '', MS.BIND), mount(views[0]!.dir, root, '', ro)];
  const ops: Op[] = [mount('tmpfs', root, 'tmpfs', MS.NOSUID | MS.NODEV | MS.NOEXEC, 'mode=755')];
  for (const v of views)
    ops.push(
      ['mkdir', R(`sys/fs/cgroup/${v.name}`), '755'],
      mount(v.dir, R(`sys/fs/cgroup/${v.name}`), '', MS.BIND),
      mount(v.dir, R(`sys/fs/cgroup/${v.name}`), '', ro),
    );
  ops.push(mount('', root, '', MS.REMOUNT | MS.RDONLY | MS.NOSUID | MS.NODEV | MS.NOEXEC, 'mode=755'));
  return ops;
}

function deviceOps(d: DeviceSpec): Op[] {
  const parent = posix.dirname(d.target);
  return [
    ['mkdir', R(parent), '755'],
    [d.type === 'b' ? 'bmknod' : 'mknod', R(d.target), d.mode.toString(8), String(d.major), String(d.minor)],
  ];
}

function devOps(shmSize: number): Op[] {
  const dev = '@/dev';
  const join = posix.join;
  return [
    ['mkdir', dev, '755'],
    mount('tmpfs', dev, 'tmpfs', MS.NOSUID | MS.STRICTATIME, 'mode=755,size=65536k'),
    ...DEVICES.map(([name, major, minor]): Op => ['mknod', join(dev, name), '666', String(major), String(minor)]),
    ...DEV_LINKS.map(([target, name]): Op => ['symlink', target, join(dev, name)]),
    ['mkdir', join(dev, 'pts'), '755'],
    mount('devpts', join(dev, 'pts'), 'devpts', MS.NOSUID | MS.NOEXEC, 'newinstance,ptmxmode=0666,mode=0620,gid=5'),
    ['mkdir', join(dev, 'shm'), '1777'],
    mount('shm', join(dev, 'shm'), 'tmpfs', MS.NOSUID | MS.NOEXEC | MS.NODEV, `mode=1777,size=${shmSize}`),
    ['mkdir', join(dev, 'mqueue'), '755'],
    mount('mqueue', join(dev, 'mqueue'), 'mqueue', MS.NOSUID | MS.NOEXEC | MS.NODEV),
  ];
}

function userMountOps(m: MountSpec, nodev: boolean): Op[] {
  const target = R(m.target);
  if (m.type === 'tmpfs') {
    const data = [
      m.size !== undefined ? `size=${m.size}` : '',
      m.mode !== undefined ? `mode=${m.mode.toString(8)}` : '',
    ]
      .filter(Boolean)
      .join(',');
    return [
      ['mkdir', target, '755'],
      mount('tmpfs', target, 'tmpfs', MS.NOSUID | MS.NODEV | (m.readOnly ? MS.RDONLY : 0), data),
    ];
  }
  if (!m.source) throw new Error(`bind mount ${m.target} has no source`);
  const source = bindSource(m.source, m.subpath);
  const rec = m.recursive === false ? 0 : MS.REC;
  // A file's mount point needs its directory (/run/secrets/x in an image without /run/secrets).
  const parent = posix.dirname(posix.join('/', m.target));
  const ops: Op[] = [
    ...(parent !== '/' ? [['mkdir', R(parent), '755']] : []),
    ['mkpoint', source, target],
    mount(source, target, '', MS.BIND | rec),
  ];
  // On every mount of the tree, not the top one only: a remount with MS_RDONLY would leave
  // `/:/host:ro`'s /host/proc/sys writable. As Docker: rprivate unless the mount says otherwise.
  const attrs = (m.readOnly ? MOUNT_ATTR.RDONLY : 0) | (nodev ? MOUNT_ATTR.NODEV : 0);
  if (attrs !== 0) ops.push(['mountattr', target, String(attrs), '0', '1']);
  ops.push(mount('', target, '', PROPAGATION[m.propagation ?? 'rprivate'] ?? MS.PRIVATE | MS.REC));
  return ops;
}

/** "^DIR//SUB": the shim opens DIR, then SUB inside it with RESOLVE_IN_ROOT (native/in-root.h). */
function bindSource(source: string, subpath: string | undefined): string {
  if (subpath === undefined) return source;
  const dir = posix.normalize(source);
  if (!dir.startsWith('/') || dir.includes('//'))
    throw new Error(`bind mount source ${source} is not an absolute path`);
  return `^${dir}//${subpath.replace(/^\/+/, '')}`;
}
