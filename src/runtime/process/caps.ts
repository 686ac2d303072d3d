// Capabilities: Docker's default 14, then cap_add / cap_drop (names with or without CAP_, or ALL).
// A container can only get what gantry itself holds: ALL (and the defaults) mean those of the
// set gantry's bounding set allows, and naming a withheld one is an error rather than a capset
// EPERM at start (VMs and containers often withhold some, e.g. SYS_RESOURCE).
import { readFileSync } from 'node:fs';

const NAMES = [
  'CHOWN',
  'DAC_OVERRIDE',
  'DAC_READ_SEARCH',
  'FOWNER',
  'FSETID',
  'KILL',
  'SETGID',
  'SETUID',
  'SETPCAP',
  'LINUX_IMMUTABLE',
  'NET_BIND_SERVICE',
  'NET_BROADCAST',
  'NET_ADMIN',
  'NET_RAW',
  'IPC_LOCK',
  'IPC_OWNER',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_CHROOT',
  'SYS_PTRACE',
  'SYS_PACCT',
  'SYS_ADMIN',
  'SYS_BOOT',
  'SYS_NICE',
  'SYS_RESOURCE',
  'SYS_TIME',
  'SYS_TTY_CONFIG',
  'MKNOD',
  'LEASE',
  'AUDIT_WRITE',
  'AUDIT_CONTROL',
  'SETFCAP',
  'MAC_OVERRIDE',
  'MAC_ADMIN',
  'SYSLOG',
  'WAKE_ALARM',
  'BLOCK_SUSPEND',
  'AUDIT_READ',
  'PERFMON',
  'BPF',
  'CHECKPOINT_RESTORE',
] as const;

export const DOCKER_DEFAULT_CAPS: readonly string[] = [
  'CHOWN',
  'DAC_OVERRIDE',
  'FSETID',
  'FOWNER',
  'MKNOD',
  'NET_RAW',
  'SETGID',
  'SETUID',
  'SETFCAP',
  'SETPCAP',
  'NET_BIND_SERVICE',
  'SYS_CHROOT',
  'KILL',
  'AUDIT_WRITE',
];

function bit(name: string): bigint {
  const n = name.toUpperCase().replace(/^CAP_/, '');
  const i = NAMES.indexOf(n as (typeof NAMES)[number]);
  if (i < 0) throw new Error(`unknown capability ${name}`);
  return 1n << BigInt(i);
}

const ALL = NAMES.reduce((m, n) => m | bit(n), 0n);

let heldMask: bigint | undefined;

/** gantry's own bounding set (what any child of it can ever hold). */
export function heldCapabilities(): bigint {
  if (heldMask === undefined) {
    const line = /^CapBnd:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    heldMask = line ? BigInt(`0x${line[1]}`) & ALL : ALL;
  }
  return heldMask;
}

/** The capability mask for a container: defaults, plus adds, minus drops (drop ALL first), within `held`. */
export function capabilityMask(
  add: readonly string[] = [],
  drop: readonly string[] = [],
  defaults = DOCKER_DEFAULT_CAPS,
  held = ALL,
): bigint {
  const isAll = (n: string) => n.toUpperCase() === 'ALL';
  let mask = drop.some(isAll) ? 0n : defaults.reduce((m, n) => m | bit(n), 0n) & held;
  for (const n of add) {
    if (!isAll(n) && (bit(n) & held) === 0n)
      throw new Error(`cannot add capability ${n}: gantry itself does not hold it (not in its bounding set)`);
    mask |= isAll(n) ? held : bit(n);
  }
  for (const n of drop) if (!isAll(n)) mask &= ~bit(n);
  return mask;
}

export function capabilityNames(mask: bigint): string[] {
  return NAMES.filter((n) => (mask & bit(n)) !== 0n).map((n) => `CAP_${n}`);
}
