// Shapes of the values that end up in the kernel or in /etc files: hostnames (RFC 1123),
// sysctl names, and text free of control characters. One definition, so the compose checks,
// the image config reader, the network's /etc writers and the runtime's last check agree.
import { oneLine } from './errors.ts';

/** RFC 1123 labels of letters, digits and inner hyphens, dot-separated; 64 bytes at most (HOST_NAME_MAX). */
export function isHostname(s: string): boolean {
  if (s.length === 0 || s.length > 64) return false;
  return s.split('.').every((l) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l));
}

/** A DNS name for /etc/hosts or a search list: hostname labels, 253 bytes, an optional final dot. */
export function isDnsName(s: string): boolean {
  const name = s.endsWith('.') ? s.slice(0, -1) : s;
  if (name.length === 0 || name.length > 253) return false;
  // `_` occurs in real names (SRV-style, Docker's own service names); it cannot break a line
  return name.split('.').every((l) => /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(l));
}

/** net.ipv4.ip_forward or net/ipv4/ip_forward: no empty or ".." component, nothing but [a-z0-9_-]. */
export function isSysctlName(s: string): boolean {
  return /^[a-z0-9_-]+([./][a-z0-9_-]+)*$/.test(s);
}

/** A control character (C0, DEL, C1, or a Unicode line/paragraph separator); tab allowed when asked. */
export function hasControlChar(s: string, allowTab = false): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (allowTab && c === 9) continue;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

/** For error messages: the value quoted with its control characters escaped (never a second line). */
export function quoted(s: string): string {
  return `"${oneLine(s.length > 80 ? `${s.slice(0, 80)}…` : s)}"`;
}
