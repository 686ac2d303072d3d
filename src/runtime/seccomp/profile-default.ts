// gantry's default seccomp profile: Docker's default semantics, an allow-list. Anything not named
// here fails with EPERM. Grouped by what the calls do; the privileged groups open only when the
// container holds the capability that the kernel would check anyway (so --cap-add keeps working
// as in Docker). One deliberate difference: unshare() without namespace flags (CLONE_FS, FILES,
// SYSVSEM) is allowed, as the newest Docker profile does, but unlike it, new namespaces (user
// ones included) still need CAP_SYS_ADMIN: an unprivileged user namespace is a large kernel attack
// surface and Docker releases up to 28 refuse it. Not allowed, notably: io_uring (it bypasses
// seccomp), kernel keyrings, bpf, perf, userfaultfd, kexec, swap, accounting, modules, reboot,
// clock setting, personality changes other than the few glibc and Go use, AF_VSOCK sockets.
import { ALLOW, ENOSYS, type ArgTest, type SeccompProfile, type SyscallGroup } from './profile.ts';

const FILES = ['access', 'cachestat', 'chdir', 'chmod', 'chown', 'chown32', 'close', 'close_range',
  'copy_file_range', 'creat', 'dup', 'dup2', 'dup3', 'faccessat', 'faccessat2', 'fadvise64', 'fadvise64_64',
  'fallocate', 'fchdir', 'fchmod', 'fchmodat', 'fchmodat2', 'fchown', 'fchown32', 'fchownat', 'fcntl', 'fcntl64',
  'fdatasync', 'flock', 'fstat', 'fstat64', 'fstatat64', 'fstatfs', 'fstatfs64', 'fsync', 'ftruncate',
  'ftruncate64', 'futimesat', 'getcwd', 'getdents', 'getdents64', 'ioctl', 'lchown', 'lchown32', 'link', 'linkat',
  '_llseek', 'lseek', 'lstat', 'lstat64', 'mkdir', 'mkdirat', 'mknod', 'mknodat', 'name_to_handle_at',
  'newfstatat', 'open', 'openat', 'openat2', 'pread64', 'preadv', 'preadv2', 'pwrite64', 'pwritev', 'pwritev2',
  'read', 'readahead', 'readlink', 'readlinkat', 'readv', 'rename', 'renameat', 'renameat2', 'rmdir', 'sendfile',
  'sendfile64', 'splice', 'stat', 'stat64', 'statfs', 'statfs64', 'statx', 'symlink', 'symlinkat', 'sync',
  'sync_file_range', 'syncfs', 'tee', 'truncate', 'truncate64', 'umask', 'unlink', 'unlinkat', 'utime',
  'utimensat', 'utimensat_time64', 'utimes', 'vmsplice', 'write', 'writev', 'listmount', 'statmount'];

const XATTRS = ['fgetxattr', 'flistxattr', 'fremovexattr', 'fsetxattr', 'getxattr', 'getxattrat', 'lgetxattr',
  'listxattr', 'listxattrat', 'llistxattr', 'lremovexattr', 'lsetxattr', 'removexattr', 'removexattrat',
  'setxattr', 'setxattrat'];

const WAITING = ['epoll_create', 'epoll_create1', 'epoll_ctl', 'epoll_ctl_old', 'epoll_pwait', 'epoll_pwait2',
  'epoll_wait', 'epoll_wait_old', 'eventfd', 'eventfd2', 'fanotify_mark', 'inotify_add_watch', 'inotify_init',
  'inotify_init1', 'inotify_rm_watch', 'poll', 'ppoll', 'ppoll_time64', 'pselect6', 'pselect6_time64', 'select',
  '_newselect', 'signalfd', 'signalfd4', 'io_cancel', 'io_destroy', 'io_getevents', 'io_pgetevents',
  'io_pgetevents_time64', 'io_setup', 'io_submit'];

const MEMORY = ['brk', 'madvise', 'map_shadow_stack', 'membarrier', 'memfd_create', 'memfd_secret', 'mincore',
  'mlock', 'mlock2', 'mlockall', 'mmap', 'mmap2', 'mprotect', 'mremap', 'mseal', 'msync', 'munlock', 'munlockall',
  'munmap', 'pkey_alloc', 'pkey_free', 'pkey_mprotect', 'remap_file_pages'];

const PROCESSES = ['execve', 'execveat', 'exit', 'exit_group', 'fork', 'vfork', 'wait4', 'waitid', 'waitpid',
  'getpid', 'getppid', 'gettid', 'getpgid', 'getpgrp', 'getsid', 'setpgid', 'setsid', 'set_tid_address',
  'set_robust_list', 'get_robust_list', 'rseq', 'futex', 'futex_time64', 'futex_waitv', 'futex_wake',
  'futex_wait', 'futex_requeue', 'restart_syscall', 'prctl', 'get_thread_area', 'set_thread_area', 'capget',
  'capset', 'seccomp', 'landlock_add_rule', 'landlock_create_ruleset', 'landlock_restrict_self', 'pidfd_open',
  'pidfd_send_signal', 'process_mrelease', 'uretprobe', 'riscv_hwprobe', 'getcpu', 'getrandom', 'uname',
  'sysinfo', 'times', 'getrusage'];

const IDS = ['getegid', 'getegid32', 'geteuid', 'geteuid32', 'getgid', 'getgid32', 'getgroups', 'getgroups32',
  'getresgid', 'getresgid32', 'getresuid', 'getresuid32', 'getuid', 'getuid32', 'setfsgid', 'setfsgid32',
  'setfsuid', 'setfsuid32', 'setgid', 'setgid32', 'setgroups', 'setgroups32', 'setregid', 'setregid32',
  'setresgid', 'setresgid32', 'setresuid', 'setresuid32', 'setreuid', 'setreuid32', 'setuid', 'setuid32'];

const SCHEDULING = ['getpriority', 'setpriority', 'getrlimit', 'setrlimit', 'ugetrlimit', 'prlimit64',
  'ioprio_get', 'ioprio_set', 'sched_getaffinity', 'sched_getattr', 'sched_getparam', 'sched_get_priority_max',
  'sched_get_priority_min', 'sched_getscheduler', 'sched_rr_get_interval', 'sched_rr_get_interval_time64',
  'sched_setaffinity', 'sched_setattr', 'sched_setparam', 'sched_setscheduler', 'sched_yield'];

const SIGNALS = ['alarm', 'kill', 'tkill', 'tgkill', 'pause', 'rt_sigaction', 'rt_sigpending', 'rt_sigprocmask',
  'rt_sigqueueinfo', 'rt_sigreturn', 'rt_sigsuspend', 'rt_sigtimedwait', 'rt_sigtimedwait_time64',
  'rt_tgsigqueueinfo', 'sigaltstack', 'sigprocmask', 'sigreturn'];

// reading clocks and adjtimex/clock_adjtime queries; setting the clock needs CAP_SYS_TIME below
const TIME = ['adjtimex', 'clock_adjtime', 'clock_adjtime64', 'clock_getres', 'clock_getres_time64',
  'clock_gettime', 'clock_gettime64', 'clock_nanosleep', 'clock_nanosleep_time64', 'gettimeofday', 'getitimer',
  'setitimer', 'nanosleep', 'time', 'timer_create', 'timer_delete', 'timer_getoverrun', 'timer_gettime',
  'timer_gettime64', 'timer_settime', 'timer_settime64', 'timerfd_create', 'timerfd_gettime',
  'timerfd_gettime64', 'timerfd_settime', 'timerfd_settime64'];

// socket() itself is below: every family but AF_VSOCK
const NETWORK_AND_IPC = ['accept', 'accept4', 'bind', 'connect', 'getpeername', 'getsockname', 'getsockopt',
  'listen', 'recv', 'recvfrom', 'recvmmsg', 'recvmmsg_time64', 'recvmsg', 'send', 'sendmmsg', 'sendmsg', 'sendto',
  'setsockopt', 'shutdown', 'socketcall', 'socketpair', 'pipe', 'pipe2', 'ipc', 'msgctl', 'msgget', 'msgrcv',
  'msgsnd', 'semctl', 'semget', 'semop', 'semtimedop', 'semtimedop_time64', 'shmat', 'shmctl', 'shmdt', 'shmget',
  'mq_getsetattr', 'mq_notify', 'mq_open', 'mq_timedreceive', 'mq_timedreceive_time64', 'mq_timedsend',
  'mq_timedsend_time64', 'mq_unlink'];

const AF_VSOCK = 40n;
const NEW_NAMESPACES = 0x7e020000n; // CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET
const arg0 = (op: ArgTest['op'], value: bigint, valueTwo = 0n): ArgTest[] => [{ index: 0, op, value, valueTwo }];
const allow = (names: readonly string[], more: Omit<SyscallGroup, 'names' | 'action'> = {}): SyscallGroup =>
  ({ names, action: ALLOW, ...more });
const withCap = (cap: string, names: readonly string[]): SyscallGroup => allow(names, { includes: { caps: [cap] } });
const withoutAdmin = { excludes: { caps: ['CAP_SYS_ADMIN'] } };

// personality(): query it (0xffffffff), or set PER_LINUX (0), PER_LINUX32 (8), UNAME26 (0x20000) or both
const PERSONAS = [0n, 0x8n, 0x20000n, 0x20008n, 0xffffffffn];

export const DEFAULT_PROFILE: SeccompProfile = {
  defaultAction: { kind: 'errno', errno: 1 },
  syscalls: [
    allow([...FILES, ...XATTRS, ...WAITING, ...MEMORY, ...PROCESSES, ...IDS, ...SCHEDULING, ...SIGNALS, ...TIME,
      ...NETWORK_AND_IPC]),
    allow(['process_vm_readv', 'process_vm_writev', 'ptrace'], { includes: { minKernel: [4, 8] } }),
    allow(['socket'], { args: arg0('ne', AF_VSOCK) }),
    ...PERSONAS.map((p) => allow(['personality'], { args: arg0('eq', p) })),
    allow(['arch_prctl', 'modify_ldt'], { includes: { arches: ['amd64'] } }),
    withCap('CAP_DAC_READ_SEARCH', ['open_by_handle_at']),
    withCap('CAP_SYS_ADMIN', ['bpf', 'clone', 'clone3', 'fanotify_init', 'fsconfig', 'fsmount', 'fsopen', 'fspick',
      'lookup_dcookie', 'lsm_get_self_attr', 'lsm_list_modules', 'lsm_set_self_attr', 'mount', 'mount_setattr',
      'move_mount', 'open_tree', 'open_tree_attr', 'perf_event_open', 'quotactl', 'quotactl_fd', 'setdomainname',
      'sethostname', 'setns', 'syslog', 'umount', 'umount2', 'unshare']),
    // without CAP_SYS_ADMIN: processes and threads, but no new namespaces
    allow(['clone', 'unshare'], { args: arg0('masked-eq', NEW_NAMESPACES, 0n), ...withoutAdmin }),
    // clone3 passes its flags in memory BPF cannot read: ENOSYS makes libc fall back to clone
    { names: ['clone3'], action: { kind: 'errno', errno: ENOSYS }, ...withoutAdmin },
    withCap('CAP_SYS_BOOT', ['reboot']),
    withCap('CAP_SYS_CHROOT', ['chroot']),
    withCap('CAP_SYS_MODULE', ['delete_module', 'init_module', 'finit_module']),
    withCap('CAP_SYS_PACCT', ['acct']),
    withCap('CAP_SYS_PTRACE', ['kcmp', 'pidfd_getfd', 'process_madvise', 'process_vm_readv', 'process_vm_writev',
      'ptrace']),
    withCap('CAP_SYS_RAWIO', ['iopl', 'ioperm']),
    withCap('CAP_SYS_TIME', ['settimeofday', 'stime', 'clock_settime', 'clock_settime64']),
    withCap('CAP_SYS_TTY_CONFIG', ['vhangup']),
    withCap('CAP_SYS_NICE', ['get_mempolicy', 'mbind', 'set_mempolicy', 'set_mempolicy_home_node']),
    withCap('CAP_SYSLOG', ['syslog']),
    withCap('CAP_BPF', ['bpf']),
    withCap('CAP_PERFMON', ['perf_event_open']),
  ],
};
