// Which containers may not use a pooled namespace (netns-pool.ts), since the next user would get
// what they left in it: they get a fresh namespace, deleted with them, never given back (issue 13's
// hardening holds: one container's network settings never reach another's).
// - privileged, cap_add NET_ADMIN: addresses, routes, rules, links, qdiscs, netfilter tables;
// - cap_add SYS_ADMIN: remounts /proc/sys writable (net.* sysctls are the namespace's), setns;
// - sysctls net.*: written into the namespace at start;
// - readonly_paths without /proc/sys: net.* sysctls writable by the container's root;
// - --pid host or a pid namespace path: its processes do not die with the container (a pid
//   namespace's do, when its init exits), so one may stay in the namespace.
// NET_RAW (in Docker's default set) stays pooled: raw and packet sockets change nothing that
// outlives the process, and the pool's lease checks that no process is left in a member.
import type { ContainerSpec } from '../../runtime/index.ts';

const CHANGING_CAPS = new Set(['ALL', 'NET_ADMIN', 'SYS_ADMIN']);

/** Why the container needs a namespace of its own (a short phrase), or undefined when a pooled one is safe. */
export function changesNetns(spec: ContainerSpec): string | undefined {
  if (spec.privileged) return 'privileged';
  const cap = (spec.process.capAdd ?? [])
    .map((c) => c.toUpperCase().replace(/^CAP_/, ''))
    .find((c) => CHANGING_CAPS.has(c));
  if (cap !== undefined) return `cap_add ${cap}`;
  const sysctl = Object.keys(spec.sysctls ?? {}).find((k) => /^net[./]/.test(k));
  if (sysctl !== undefined) return `sysctl ${sysctl}`;
  if (spec.readonlyPaths !== undefined && !spec.readonlyPaths.includes('/proc/sys')) return 'writable /proc/sys';
  if (spec.namespaces?.pid !== undefined) return `pid namespace ${spec.namespaces.pid}`;
  return undefined;
}
