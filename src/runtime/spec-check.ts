// The runtime's last check of a spec before any of it becomes a shim op or an /etc file. The
// engine and `container run` check the same fields earlier, with the service's name; this one
// holds whatever the caller, so no value from an image or a compose file reaches the kernel in a
// shape it was not meant to have (a relative working dir, a sysctl path with "..", a hostname
// with a newline). Each error is one line naming the field.
import { isIP, isIPv4 } from 'node:net';
import { isAbsolute } from 'node:path';
import { hasControlChar, isDnsName, isHostname, isSysctlName, quoted } from '../common/host-names.ts';
import type { ContainerSpec, MountSpec, ProcessSpec } from './spec.ts';

const PROPAGATIONS = new Set(['private', 'rprivate', 'slave', 'rslave', 'shared', 'rshared']);

const absolute = (field: string, p: string): void => {
  if (!isAbsolute(p) || p.includes('\0'))
    throw new Error(`${field}: must be an absolute path without NUL bytes, not ${quoted(p)}`);
};
const noNul = (field: string, values: readonly string[]): void => {
  for (const v of values) if (v.includes('\0')) throw new Error(`${field}: ${quoted(v)} contains a NUL byte`);
};

export function checkProcess(proc: ProcessSpec): void {
  noNul('command', proc.args);
  noNul('environment', proc.env);
  for (const e of proc.env) if (e.indexOf('=') <= 0) throw new Error(`environment: ${quoted(e)} is not NAME=VALUE`);
  absolute('working dir', proc.cwd);
  if (proc.user !== undefined) noNul('user', [proc.user]);
  noNul('group_add', proc.additionalGroups ?? []);
}

function checkMount(m: MountSpec): void {
  absolute('mount target', m.target);
  if (m.type === 'bind') {
    if (m.source === undefined) throw new Error(`mount ${quoted(m.target)}: a bind needs a source`);
    absolute(`mount ${m.target}: source`, m.source);
  } else if (m.type !== 'tmpfs') throw new Error(`mount ${quoted(m.target)}: unknown type ${quoted(String(m.type))}`);
  if (m.propagation !== undefined && !PROPAGATIONS.has(m.propagation))
    throw new Error(`mount ${m.target}: unknown propagation ${quoted(m.propagation)}`);
  if (m.size !== undefined && !(Number.isSafeInteger(m.size) && m.size >= 0))
    throw new Error(`tmpfs ${m.target}: size must be a byte count`);
  if (m.mode !== undefined && !(Number.isInteger(m.mode) && m.mode >= 0 && m.mode <= 0o7777))
    throw new Error(`tmpfs ${m.target}: mode must be 0..7777 (octal)`);
}

export function checkSpec(spec: ContainerSpec): void {
  checkProcess(spec.process);
  for (const l of spec.rootfs.layers)
    if (!isAbsolute(l) || /[\0,:]/.test(l)) throw new Error(`rootfs layer ${quoted(l)}: not a plain absolute path`);
  if (spec.hostname !== undefined && !isHostname(spec.hostname))
    throw new Error(`hostname: ${quoted(spec.hostname)} is not a valid RFC 1123 hostname`);
  if (spec.domainname !== undefined && !isHostname(spec.domainname))
    throw new Error(`domainname: ${quoted(spec.domainname)} is not a valid RFC 1123 name`);
  for (const m of spec.mounts ?? []) checkMount(m);
  for (const [k, v] of Object.entries(spec.sysctls ?? {})) {
    if (!isSysctlName(k))
      throw new Error(`sysctls: ${quoted(k)} is not a sysctl name ([a-z0-9_-] parts joined by . or /)`);
    if (hasControlChar(v, true)) throw new Error(`sysctls: ${k}: the value ${quoted(v)} contains a control character`);
  }
  for (const p of [...(spec.maskedPaths ?? []), ...(spec.readonlyPaths ?? [])]) absolute('masked or read-only path', p);
  for (const [kind, ns] of Object.entries(spec.namespaces ?? {}))
    if (ns !== undefined && ns !== 'host') absolute(`${kind} namespace`, ns);
  if (spec.netns !== undefined) absolute('network namespace', spec.netns);
  const relay = spec.embeddedDns?.relayTo;
  if (relay !== undefined && (!isIPv4(relay) || spec.netns === undefined || spec.namespaces?.net !== undefined))
    throw new Error(`embedded dns: relay to ${quoted(relay)} needs an IPv4 address and the container's own netns`);
  if (spec.hostAddress !== undefined && !isIP(spec.hostAddress))
    throw new Error(`host address: ${quoted(spec.hostAddress)} is not an IP address`);
  for (const s of spec.dns?.search ?? [])
    if (!isDnsName(s)) throw new Error(`dns_search: ${quoted(s)} is not a valid domain name`);
  checkKernelNumbers(spec);
}

const intIn = (v: number, lo: number, hi: number): boolean => Number.isInteger(v) && v >= lo && v <= hi;

function checkKernelNumbers(spec: ContainerSpec): void {
  if (spec.shmSize !== undefined && !intIn(spec.shmSize, 1, Number.MAX_SAFE_INTEGER))
    throw new Error(`shm_size: ${spec.shmSize} is not a positive byte count`);
  if (spec.oomScoreAdj !== undefined && !intIn(spec.oomScoreAdj, -1000, 1000))
    throw new Error(`oom_score_adj: ${spec.oomScoreAdj} is not in -1000..1000`);
  for (const d of spec.devices ?? []) {
    absolute('device target', d.target);
    if (d.type !== 'c' && d.type !== 'b') throw new Error(`device ${d.target}: type must be c or b`);
    if (!intIn(d.major, 0, 4095) || !intIn(d.minor, 0, 0xfffff) || !intIn(d.mode, 0, 0o7777))
      throw new Error(`device ${d.target}: numbers out of range`);
    if (!/^[rwm]{1,3}$/.test(d.access))
      throw new Error(`device ${d.target}: access ${quoted(d.access)} is not letters of r, w, m`);
  }
}
