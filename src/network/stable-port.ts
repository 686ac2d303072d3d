// Where a random host port ("80" with no host port, -P) is looked for: from a start its key
// decides (FNV-1a of the key into the kernel's ephemeral range) upwards to the first free port.
// The same key finds the same port while the host does not change, so `up --dry-run` prints the
// port `up` then publishes; the kernel's own pick for port 0 differs on every call.
import { readFileSync } from 'node:fs';

/** The kernel's range for ports it picks itself, which a random published port comes from too. */
export function ephemeralRange(): readonly [number, number] {
  try {
    const [lo = 0, hi = 0] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (lo > 0 && hi >= lo && hi < 65536) return [lo, hi];
  } catch {}
  return [32768, 60999];
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Every port of the range once, from where the key points. */
export function* candidatePorts(key: string, [lo, hi] = ephemeralRange()): Generator<number> {
  const n = hi - lo + 1;
  const start = fnv1a(key) % n;
  for (let i = 0; i < n; i++) yield lo + ((start + i) % n);
}
