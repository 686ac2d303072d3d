// /etc/hosts, /etc/hostname and /etc/resolv.conf for one container. They live in the state dir
// and are bind-mounted, so later updates must rewrite them in place (same inode). Every value is
// checked first: a newline in a hostname or an extra host would add lines of the caller's own.
import { isIP } from 'node:net';
import { isDnsName, isHostname, quoted } from '../../common/host-names.ts';

const RESOLVER_OPTION = /^[A-Za-z0-9_.-]+(:[0-9]+)?$/; // ndots:2, timeout:1, use-vc

export function hostsFile(hostname: string, extra: readonly string[] = []): string {
  if (!isHostname(hostname)) throw new Error(`hostname: ${quoted(hostname)} is not a valid RFC 1123 hostname`);
  for (const line of extra) {
    const [ip = '', name = '', ...rest] = line.split('\t');
    if (rest.length > 0 || !isIP(ip) || !isDnsName(name))
      throw new Error(`extra_hosts: ${quoted(line)} is not "IP<tab>NAME"`);
  }
  const lines = [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    `127.0.1.1\t${hostname}`,
    ...extra,
  ];
  return `${lines.join('\n')}\n`;
}

/** The host's resolv.conf minus loopback resolvers, which mean nothing inside a netns. */
export function resolvConf(
  hostResolv: string,
  dns?: { nameservers: readonly string[]; search?: readonly string[]; options?: readonly string[] },
): string {
  if (dns) {
    for (const n of dns.nameservers) if (!isIP(n)) throw new Error(`dns: ${quoted(n)} is not an IP address`);
    for (const s of dns.search ?? [])
      if (!isDnsName(s)) throw new Error(`dns_search: ${quoted(s)} is not a valid domain name`);
    for (const o of dns.options ?? [])
      if (!RESOLVER_OPTION.test(o)) throw new Error(`dns_opt: ${quoted(o)} is not a resolver option`);
    const search = dns.search && dns.search.length > 0 ? [`search ${dns.search.join(' ')}`] : [];
    const options = dns.options && dns.options.length > 0 ? [`options ${dns.options.join(' ')}`] : [];
    // dns_search or dns_opt alone: the host's resolvers still answer
    const servers =
      dns.nameservers.length > 0
        ? dns.nameservers.map((n) => `nameserver ${n}`)
        : hostLines(hostResolv).filter((l) => /^\s*nameserver\s/.test(l));
    return `${[...search, ...servers, ...options].join('\n')}\n`;
  }
  const kept = hostLines(hostResolv);
  return kept.length > 0 ? `${kept.join('\n')}\n` : '';
}

const hostLines = (text: string): string[] =>
  text
    .split('\n')
    .filter((l) => !/^\s*nameserver\s+(127\.|::1\b)/.test(l))
    .filter((l) => l.trim() !== '');
