// Upstream resolvers for names that are not local: the host's /etc/resolv.conf nameservers, or
// an explicit list ("ip" or "ip:port"; tests always pass their own stub).
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';

export interface Upstream {
  readonly host: string;
  readonly port: number;
}

export function parseUpstream(text: string): Upstream {
  if (isIP(text)) return { host: text, port: 53 };
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(text);
  if (m && isIP(m[1]!)) return { host: m[1]!, port: Number(m[2]) };
  throw new Error(`invalid DNS upstream "${text}"`);
}

export function nameserversOf(resolvConf: string): readonly Upstream[] {
  return resolvConf
    .split('\n')
    .map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1])
    .filter((s): s is string => s !== undefined && isIP(s.replace(/%.*$/, '')) !== 0)
    .map((s) => ({ host: s.replace(/%.*$/, ''), port: 53 }));
}

/**
 * The host's resolvers. They stay usable even when they are loopback (systemd-resolved's
 * 127.0.0.53), because the responder lives in the host's namespace, not the container's.
 */
export function hostUpstreams(path = '/etc/resolv.conf'): readonly Upstream[] {
  try {
    return nameserversOf(readFileSync(path, 'utf8'));
  } catch {
    return [];
  }
}
