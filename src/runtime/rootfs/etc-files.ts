// /etc/hosts, /etc/hostname and /etc/resolv.conf for one container. They live in the state dir
// and are bind-mounted, so later updates must rewrite them in place (same inode). Every value is
// checked first: a newline in a hostname or an extra host would add lines of the caller's own.
import { isIP } from 'node:net';
import { isDnsName, isHostname, quoted } from '../../common/host-names.ts';

const RESOLVER_OPTION = /^[A-Za-z0-9_.-]+(:[0-9]+)?$/; // ndots:2, timeout:1, use-vc

/** `address`: the container's own on its primary network (Docker's line); without a network, 127.0.1.1. */
export function hostsFile(hostname: string, extra: readonly string[] = [], address?: string): string {
  if (!isHostname(hostname)) throw new Error(`hostname: ${quoted(hostname)} is not a valid RFC 1123 hostname`);
  if (address !== undefined && !isIP(address)) throw new Error(`host address: ${quoted(address)} is not an IP address`);
  for (const line of extra) {
    const [ip = '', name = '', ...rest] = line.split('\t');
    if (rest.length > 0 || !isIP(ip) || !isDnsName(name))
      throw new Error(`extra_hosts: ${quoted(line)} is not "IP<tab>NAME"`);
  }
  const lines = [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    `${address ?? '127.0.1.1'}\t${hostname}`,
    ...extra,
  ];
  return `${lines.join('\n')}\n`;
}

type DnsSettings = { nameservers: readonly string[]; search?: readonly string[]; options?: readonly string[] };

function checkDns(dns: DnsSettings): void {
  for (const n of dns.nameservers) if (!isIP(n)) throw new Error(`dns: ${quoted(n)} is not an IP address`);
  for (const s of dns.search ?? [])
    if (!isDnsName(s)) throw new Error(`dns_search: ${quoted(s)} is not a valid domain name`);
  for (const o of dns.options ?? [])
    if (!RESOLVER_OPTION.test(o)) throw new Error(`dns_opt: ${quoted(o)} is not a resolver option`);
}

/**
 * Docker's file with its embedded DNS: 127.0.0.11 only (the `dns` servers are where it forwards),
 * search and options from dns_search/dns_opt or else the host's, and ndots:0 unless an ndots is set.
 */
function embeddedResolvConf(hostResolv: string, dns: DnsSettings | undefined): string {
  if (dns) checkDns(dns);
  const host = hostLines(hostResolv);
  const search = dns?.search?.length ? [`search ${dns.search.join(' ')}`] : host.filter((l) => /^\s*search\s/.test(l));
  const options = dns?.options?.length
    ? dns.options
    : host.flatMap((l) => (/^\s*options\s/.test(l) ? l.trim().split(/\s+/).slice(1) : []));
  const all = options.some((o) => o.startsWith('ndots:')) ? options : [...options, 'ndots:0'];
  return `${['nameserver 127.0.0.11', ...search, `options ${all.join(' ')}`].join('\n')}\n`;
}

/** The host's resolv.conf minus loopback resolvers, which mean nothing inside a netns. */
export function resolvConf(hostResolv: string, dns?: DnsSettings, embedded = false): string {
  if (embedded) return embeddedResolvConf(hostResolv, dns);
  if (dns) {
    checkDns(dns);
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
