// Namespace flags for clone(2) and the /proc/<pid>/ns files exec joins.

export const CLONE = {
  NEWNS: 0x00020000,
  NEWCGROUP: 0x02000000,
  NEWUTS: 0x04000000,
  NEWIPC: 0x08000000,
  NEWPID: 0x20000000,
  NEWNET: 0x40000000,
} as const;

/** Namespaces a container gets; the net namespace is joined instead when a path is given. */
export function cloneFlags(joinNet: boolean): number {
  return CLONE.NEWNS | CLONE.NEWUTS | CLONE.NEWIPC | CLONE.NEWPID | (joinNet ? 0 : CLONE.NEWNET);
}

/** Order matters for exec: mnt last, since joining it changes what paths mean. pid is joined by the shim. */
export const EXEC_JOIN = ['ipc', 'uts', 'net', 'mnt'] as const;
