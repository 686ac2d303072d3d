// /etc/hosts, /etc/hostname and /etc/resolv.conf for one container. They live in the state dir
// and are bind-mounted, so later updates must rewrite them in place (same inode).

export function hostsFile(hostname: string, extra: readonly string[] = []): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', `127.0.1.1\t${hostname}`, ...extra];
  return `${lines.join('\n')}\n`;
}

/** The host's resolv.conf minus loopback resolvers, which mean nothing inside a netns. */
export function resolvConf(hostResolv: string, dns?: { nameservers: readonly string[]; search?: readonly string[] }): string {
  if (dns) {
    const search = dns.search && dns.search.length > 0 ? [`search ${dns.search.join(' ')}`] : [];
    return `${[...search, ...dns.nameservers.map((n) => `nameserver ${n}`)].join('\n')}\n`;
  }
  const kept = hostResolv
    .split('\n')
    .filter((l) => !/^\s*nameserver\s+(127\.|::1\b)/.test(l))
    .filter((l) => l.trim() !== '');
  return kept.length > 0 ? `${kept.join('\n')}\n` : '';
}
