// The seccomp filter: a deny list of the calls Docker's default profile refuses that capabilities
// alone do not stop (kernel keyrings, bpf, perf, userfaultfd, io_uring, kexec, new user
// namespaces…), and, without CAP_SYS_ADMIN, the mount API, setns and namespace-creating
// clone/unshare. x86-64 numbers; the shim refuses x32 and i386 calls outright.
import { CLONE } from '../namespaces.ts';

const EPERM = 1;
const ENOSYS = 38;
const CLONE_NEWUSER = 0x10000000;
const NS_FLAGS = CLONE.NEWNS | CLONE.NEWUTS | CLONE.NEWIPC | CLONE.NEWPID | CLONE.NEWNET | CLONE.NEWCGROUP | CLONE_NEWUSER;

const ALWAYS: Readonly<Record<string, number>> = {
  uselib: 134, _sysctl: 156, acct: 163, settimeofday: 164, swapon: 167, swapoff: 168, reboot: 169,
  create_module: 174, init_module: 175, delete_module: 176, get_kernel_syms: 177, query_module: 178,
  quotactl: 179, nfsservctl: 180, lookup_dcookie: 212, clock_settime: 227, kexec_load: 246, add_key: 248,
  request_key: 249, keyctl: 250, perf_event_open: 298, open_by_handle_at: 304, clock_adjtime: 305,
  finit_module: 313, kexec_file_load: 320, bpf: 321, userfaultfd: 323, io_uring_setup: 425,
  io_uring_enter: 426, io_uring_register: 427,
};

const WITHOUT_SYS_ADMIN: Readonly<Record<string, number>> = {
  pivot_root: 155, mount: 165, umount2: 166, setns: 308, open_tree: 428, move_mount: 429, fsopen: 430,
  fsconfig: 431, fsmount: 432, fspick: 433, mount_setattr: 442,
};

const SYS_ADMIN = 1n << 21n;

/** Rules for the shim: [syscall nr, first-argument mask (0 = always), errno]. */
export function seccompRules(caps: bigint, arch: string = process.arch): [number, number, number][] {
  if (arch !== 'x64') return []; // only x86-64 numbers are known here: no filter rather than a wrong one
  const rules: [number, number, number][] = Object.values(ALWAYS).map((nr) => [nr, 0, EPERM]);
  if ((caps & SYS_ADMIN) === 0n) {
    rules.push(...Object.values(WITHOUT_SYS_ADMIN).map((nr): [number, number, number] => [nr, 0, EPERM]));
    rules.push([435, 0, ENOSYS]); // clone3: its flags are out of BPF's reach; ENOSYS makes libc fall back to clone
    rules.push([56, NS_FLAGS, EPERM], [272, NS_FLAGS, EPERM]); // clone, unshare with namespace flags
  } else {
    rules.push([56, CLONE_NEWUSER, EPERM], [272, CLONE_NEWUSER, EPERM]);
  }
  return rules;
}
