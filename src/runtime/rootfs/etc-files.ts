// /etc/hosts, /etc/hostname and /etc/resolv.conf for one container. They live in the state dir
// and are bind-mounted, so later updates must rewrite them in place (same inode). Every value is
// checked first: a newline in a hostname or an extra host would add lines of the caller's own.
import { isIP } from 'node:net';
import { isDnsName, isHostname, quoted } from '../../common/host-names.ts';

export function hostsFile(hostname: string, extra: readonly string[] = []): string {
  if (!isHostname(hostname)) throw new Error(`hostname: ${quoted(hostname)} is not a valid RFC 1123 hostname`);
  for (const line of extra) {
    const [ip = '', name = '', ...rest] = line.split('\t');
    if (rest.length > 0 || !isIP(ip) || !isDnsName(name)) throw new Error(`extra_hosts: ${quoted(line)} is not "IP<tab>NAME"`);
  }
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', `127.0.1.1\t${hostname}`, ...extra];
  return `${lines.join('\n')}\n`;
}

/** The host's resolv.conf minus loopback resolvers, which mean nothing inside a netns. */
export function resolvConf(hostResolv: string, dns?: { nameservers: readonly string[]; search?: readonly string[] }): string {
  if (dns) {
    for (const n of dns.nameservers) if (!isIP(n)) throw new Error(`dns: ${quoted(n)} is not an IP address`);
    for (const s of dns.search ?? []) if (!isDnsName(s)) throw new Error(`dns_search: ${quoted(s)} is not a valid domain name`);
    const search = dns.search && dns.search.length > 0 ? [`search ${dns.search.join(' ')}`] : [];
    return `${[...search, ...dns.nameservers.map((n) => `nameserver ${n}`)].join('\n')}\n`;
  }
  const kept = hostResolv
    .split('\n')
    .filter((l) => !/^\s*nameserver\s+(127\.|::1\b)/.test(l))
    .filter((l) => l.trim() !== '');
  return kept.length > 0 ? `${kept.join('\n')}\n` : '';
}
