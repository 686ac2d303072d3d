// Assembles the shim plan that starts a container (start) or a process inside one (exec).
import { statSync } from 'node:fs';
import type { ContainerCgroup } from './cgroups/index.ts';
import type { ContainerSpec, ProcessSpec } from './spec.ts';
import type { ContainerPaths } from './state.ts';
import { checkSysctls, cloneFlags, EXEC_JOIN, joinPaths, nsChoice } from './namespaces.ts';
import { afterPivotOps, mountOps, type Op } from './rootfs/mount-plan.ts';
import { privilegeOps } from './process/privilege-ops.ts';
import { encodePlan } from './process/plan-encoding.ts';
import { checkProcess, checkSpec } from './spec-check.ts';
import { readContainerFile, readImageFile, resolveUser } from './process/user.ts';
import { hardLimits } from './process/rlimits.ts';

export interface AttachOptions {
  /** Copy output to the shim's own stdout/stderr (foreground run, exec). */
  readonly attach: boolean;
  readonly onExit?: readonly string[];
  /** The shim appends the `die` event to this journal: [path, line fragment]. */
  readonly journal?: readonly [string, string];
}

/**
 * Whether a masked or read-only path (/proc/kcore, /sys/firmware, …) exists on the host. The
 * kernel's own files (/proc, /sys) do not come and go, so their answer is kept for the process:
 * each start stat'ed all 17 defaults, 1,020 statx for a 60-service `up -d`, 39 ms of its main
 * thread at load 10 (issue 20, bench/RESULTS.md "big10"). Any other path is asked each time.
 */
const hostKinds = new Map<string, 'dir' | 'file' | undefined>();

function hostKind(path: string): 'dir' | 'file' | undefined {
  const kernel = path.startsWith('/proc/') || path.startsWith('/sys/');
  if (kernel && hostKinds.has(path)) return hostKinds.get(path);
  let kind: 'dir' | 'file' | undefined;
  try {
    kind = statSync(path).isDirectory() ? 'dir' : 'file';
  } catch {
    kind = undefined;
  }
  if (kernel) hostKinds.set(path, kind);
  return kind;
}

/** For exec, the writable layer counts too: users added inside the running container resolve. */
function userOf(spec: ContainerSpec, proc: ProcessSpec, upper?: string) {
  const read = (rel: string) =>
    upper ? readContainerFile(spec.rootfs.layers, upper, rel) : readImageFile(spec.rootfs.layers, rel);
  return resolveUser(proc.user, read('etc/passwd'), read('etc/group'), proc.additionalGroups);
}

/**
 * This process's hard limits, read only for a process that sets ulimits: the read and parse of
 * /proc/self/limits were 0.6–0.85 ms CPU of every exec and start for nothing (load 15; exec20).
 */
const hardLimitsFor = (proc: ProcessSpec): (bigint | undefined)[] => (proc.rlimits?.length ? hardLimits() : []);

function ioOptions(proc: ProcessSpec, o: AttachOptions): Op[] {
  return [...(o.attach ? [['attach']] : []), ...(proc.stdin ? [['stdin']] : []), ...(proc.tty ? [['tty']] : [])];
}

export function startPlan(
  spec: ContainerSpec,
  p: ContainerPaths,
  cg: ContainerCgroup,
  nodev: boolean,
  o: AttachOptions,
): string {
  checkSpec(spec);
  checkSysctls(spec);
  if (nodev) checkV2Devices(spec);
  const join = joinPaths(spec);
  const options: Op[] = [
    ...(spec.log && 'none' in spec.log ? [] : [['log', p.log]]),
    ...(spec.log && 'maxBytes' in spec.log && spec.log.maxBytes > 0
      ? [['logrotate', String(spec.log.maxBytes), String(spec.log.maxFiles)]]
      : []),
    ['status', p.status],
    ...(spec.rootfs.listUpperXattrs ? [['xattrs', p.upper, p.upperXattrs]] : []),
    ...(cg.oomFile ? [['oom', cg.oomFile, p.oom]] : []),
    // ctrpty: the terminal comes from the container's own devpts (the "pts" op), not the host's
    ...ioOptions(spec.process, o).map((op) => (op[0] === 'tty' ? ['ctrpty'] : op)),
    ...(spec.init ? [['init']] : []),
    ['clone', String(cloneFlags(spec))],
    ...(join.pid ? [['joinpid', join.pid]] : []),
    ...join.ns.map((path) => ['joinns', path]),
    ...(o.onExit ? [['onexit', String(o.onExit.length), ...o.onExit]] : []),
    ...(o.journal ? [['journal', ...o.journal]] : []),
    // 127.0.0.11:53 in the container's own netns, relayed to its network's responder (native/dns-relay.h)
    ...(spec.embeddedDns?.relayTo && spec.netns ? [['dns', spec.netns, spec.embeddedDns.relayTo]] : []),
  ];
  const ops: Op[] = [
    ...cg.procsFiles.map((f) => ['cgroup', f]), // first: every later process is a member
    ...(join.ns.length > 0 ? [['setns']] : []),
    ...(nsChoice(spec, 'net') === undefined ? [['lo']] : []),
    ...mountOps(spec, p, { kind: hostKind, nodev, cgroupViews: cg.views }),
    // only in its own UTS namespace: sethostname in a shared one would rename the host
    ...(nsChoice(spec, 'uts') === undefined ? [['hostname', spec.hostname ?? 'localhost']] : []),
    ['pivot', p.merged],
    ...afterPivotOps(spec, nodev),
    ...privilegeOps(v2Safe(spec, spec.process, nodev), userOf(spec, spec.process), hardLimitsFor(spec.process), {
      file: p.seccomp,
      role: 'start',
      shared: p.seccompFilters,
    }),
  ];
  return encodePlan(options, ops);
}

/**
 * On cgroup v2 a device node is reachable by anyone who can open it (no BPF device program is
 * loaded; CAP_MKNOD is dropped so no other node can be made): full access is honest, a
 * narrower one would be a promise not kept.
 */
function checkV2Devices(spec: ContainerSpec): void {
  const narrow = spec.devices?.find((d) => d.access !== 'rwm' && [...'rwm'].some((c) => !d.access.includes(c)));
  if (narrow) {
    throw new Error(
      `devices: ${narrow.target}: permissions "${narrow.access}" need a device cgroup, which on cgroup v2 is a BPF program gantry does not load (use rwm)`,
    );
  }
}

/**
 * cgroup v2 has no device controller without BPF: drop CAP_MKNOD (mounts are nodev too). A
 * privileged container's processes (exec too) get every held capability and no seccomp filter.
 */
function v2Safe(spec: ContainerSpec, given: ProcessSpec, v2: boolean): ProcessSpec {
  const proc: ProcessSpec = spec.privileged ? { ...given, capAdd: ['ALL'], capDrop: [], seccomp: 'unconfined' } : given;
  return v2 ? { ...proc, capDrop: [...(proc.capDrop ?? []), 'MKNOD'] } : proc;
}

export function execPlan(
  spec: ContainerSpec,
  proc: ProcessSpec,
  pid1: number,
  cg: ContainerCgroup,
  nodev: boolean,
  p: Pick<ContainerPaths, 'upper' | 'seccomp' | 'seccompFilters'>,
  o: AttachOptions,
): string {
  checkProcess(proc);
  const options: Op[] = [
    ...ioOptions(proc, o),
    // The terminal from the container's own devpts, so that `tty` inside names it (/dev/pts/N).
    ...(proc.tty ? [['ptmx', `/proc/${pid1}/root/dev/pts/ptmx`]] : []),
    ['clone', '0'],
    ['joinpid', `/proc/${pid1}/ns/pid`],
    ...EXEC_JOIN.map((ns) => ['joinns', `/proc/${pid1}/ns/${ns}`]),
  ];
  const ops: Op[] = [
    ...cg.procsFiles.map((f) => ['cgroup', f]),
    ['setns'],
    ...privilegeOps(v2Safe(spec, proc, nodev), userOf(spec, proc, p.upper), hardLimitsFor(proc), {
      file: p.seccomp,
      role: 'exec',
      shared: p.seccompFilters,
    }),
  ];
  return encodePlan(options, ops);
}
