// The runtime's own input type. It knows nothing of compose: the engine translates a service into
// this, and the image store supplies the layer directories.

export interface RootfsSpec {
  /** Absolute layer directories, LOWEST first, ready for overlayfs. */
  readonly layers: readonly string[];
  readonly readOnly: boolean;
  /**
   * On a clean exit the shim lists the upper dir's xattrs (Runtime.upperXattrs) before it records
   * the status: a build commits that dir as a layer, and listing it costs the build no process.
   */
  readonly listUpperXattrs?: boolean;
  /**
   * The writable layer need not outlive a host crash (a container's, not a build's: a build commits
   * its upper dir as a layer): overlayfs's `volatile` skips the syncs of the upper filesystem, the
   * one at unmount included, which each container's exit paid on its PID 1's way out (≈ 10 ms of
   * ext4 writeback and a disk flush per container stopped; rootfs/overlay.ts).
   */
  readonly volatile?: boolean;
}

export interface MountSpec {
  readonly type: 'bind' | 'tmpfs';
  /** Host path (bind only). */
  readonly source?: string;
  /**
   * Bind: a relative path inside `source` (a volume's subpath), resolved by the shim at mount time
   * with RESOLVE_IN_ROOT against `source`, so a symlink planted in the volume stays inside it.
   */
  readonly subpath?: string;
  /** Absolute path inside the container. */
  readonly target: string;
  readonly readOnly?: boolean;
  readonly propagation?: 'private' | 'rprivate' | 'slave' | 'rslave' | 'shared' | 'rshared';
  /** Bind: recursive (default true). */
  readonly recursive?: boolean;
  /** tmpfs: size in bytes and mode (octal number). */
  readonly size?: number;
  readonly mode?: number;
}

export interface RlimitSpec {
  readonly type: string; // nofile, nproc, core, … (without RLIMIT_)
  readonly soft: number;
  readonly hard: number;
}

/** A Docker seccomp profile (JSON text) and where it came from, for error messages. */
export interface SeccompProfileFile {
  readonly profile: string;
  readonly source: string;
}

export type SeccompSetting = 'default' | 'unconfined' | SeccompProfileFile;

export interface ProcessSpec {
  readonly args: readonly string[];
  /** Exactly the environment the program sees ("K=V"); nothing is added but what is listed. */
  readonly env: readonly string[];
  readonly cwd: string;
  /** "uid[:gid]" or "name[:group]", resolved in the container's /etc/passwd and /etc/group. */
  readonly user?: string;
  readonly additionalGroups?: readonly string[];
  readonly tty?: boolean;
  readonly stdin?: boolean;
  readonly capAdd?: readonly string[];
  readonly capDrop?: readonly string[];
  readonly noNewPrivileges?: boolean;
  /** "default": Docker's default profile semantics; "unconfined": none; or a Docker profile JSON. */
  readonly seccomp?: SeccompSetting;
  readonly rlimits?: readonly RlimitSpec[];
}

/** A host device node made in the container (same type and numbers) and opened to it by the device cgroup. */
export interface DeviceSpec {
  readonly type: 'c' | 'b';
  readonly major: number;
  readonly minor: number;
  /** Absolute path inside the container. */
  readonly target: string;
  /** Letters of r, w, m (cgroup v1 rule; v2 has no device controller: only rwm is honest there). */
  readonly access: string;
  readonly mode: number; // the host node's permission bits
}

export interface ResourceSpec {
  readonly memory?: number; // bytes
  readonly memorySwap?: number; // bytes, memory + swap as Docker's --memory-swap (-1 = unlimited)
  /** Docker's --memory-reservation: a soft floor the kernel reclaims below last (v1 soft limit, v2 memory.low). */
  readonly memoryReservation?: number; // bytes
  readonly cpus?: number; // 0.5 = half a CPU
  readonly cpuShares?: number;
  readonly cpuset?: string;
  readonly pids?: number;
  /** Extra device rules (the nodes of ContainerSpec.devices). */
  readonly devices?: readonly Pick<DeviceSpec, 'type' | 'major' | 'minor' | 'access'>[];
}

export interface ContainerSpec {
  readonly rootfs: RootfsSpec;
  readonly process: ProcessSpec;
  readonly hostname?: string;
  readonly domainname?: string;
  readonly mounts?: readonly MountSpec[];
  /** Path of an existing network namespace to join (/run/netns/X); default: a fresh one, lo up. */
  readonly netns?: string;
  /** Per namespace: a path to join, or "host" to stay in gantry's own; absent: a fresh one. */
  readonly namespaces?: { readonly net?: string; readonly ipc?: string; readonly uts?: string; readonly pid?: string };
  readonly resources?: ResourceSpec;
  /** /dev/shm size in bytes (default 64 MiB, as Docker). */
  readonly shmSize?: number;
  /** Written to the container's /proc/self/oom_score_adj before exec (-1000..1000). */
  readonly oomScoreAdj?: number;
  readonly devices?: readonly DeviceSpec[];
  /** Namespaced sysctls (kernel.msg*, net.*, fs.mqueue.*). */
  readonly sysctls?: Readonly<Record<string, string>>;
  readonly init?: boolean;
  readonly stopSignal?: string;
  /** Lines for /etc/hosts after the defaults; nameservers/search for resolv.conf. */
  readonly extraHosts?: readonly string[];
  /**
   * Docker's embedded DNS: resolv.conf names 127.0.0.11 (nameservers become the responder's
   * business). With `relayTo` (the network's responder) the shim serves 127.0.0.11:53 in the
   * container's own network namespace; without it, the namespace's owner does (network_mode service:).
   */
  readonly embeddedDns?: { readonly relayTo?: string };
  /** The container's address on its primary network: /etc/hosts maps the hostname to it (Docker). */
  readonly hostAddress?: string;
  readonly dns?: {
    readonly nameservers: readonly string[];
    readonly search?: readonly string[];
    readonly options?: readonly string[];
  };
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * The shim's log file: none at all, or rotated once it would pass maxBytes (0: never), keeping
   * maxFiles files (container.log and container.log.1 …). Absent: one unrotated file.
   */
  readonly log?: { readonly none: true } | { readonly maxBytes: number; readonly maxFiles: number };
  /**
   * Docker's --privileged: every capability gantry holds (cap_drop ignored, as Docker), no seccomp
   * filter, no masked or read-only paths, /sys writable. Host devices are not passed in.
   */
  readonly privileged?: boolean;
  /**
   * run --rm: "pid start-time" of the command that removes the container when it exits. Should
   * that command die first (kill -9), prune removes the container once it is not running.
   */
  readonly autoRemove?: string;
  /** Defaults to Docker's lists (none when privileged); given, they replace them. */
  readonly maskedPaths?: readonly string[];
  readonly readonlyPaths?: readonly string[];
}
