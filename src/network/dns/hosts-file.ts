// The container's /etc/hosts: localhost lines, its own name and aliases on each of its
// addresses, then extra_hosts ("name:ip" or "name=ip", "host-gateway" resolved by the caller).
import { isIP } from 'node:net';
import { ConfigError } from '../../common/errors.ts';
import { isDnsName, quoted } from '../../common/host-names.ts';

export interface HostsInput {
  readonly hostname: string;
  readonly aliases?: readonly string[];
  readonly addresses: readonly string[]; // one per network
  readonly extraHosts?: readonly string[];
  readonly hostGateway?: string; // what "host-gateway" stands for
}

const NAME = { test: isDnsName }; // one name, no control character: it cannot add a line

function parseExtra(entry: string, hostGateway?: string): readonly [string, string] {
  const m = /^([^:=\s]+)[:=](.+)$/.exec(entry);
  const ip = m?.[2]?.replace(/^\[(.*)\]$/, '$1') === 'host-gateway' ? hostGateway : m?.[2]?.replace(/^\[(.*)\]$/, '$1');
  if (!m || !NAME.test(m[1]!) || ip === undefined || !isIP(ip))
    throw new ConfigError(`extra_hosts: invalid entry ${quoted(entry)}`);
  return [ip, m[1]!];
}

export function hostsFileFor(input: HostsInput): string {
  const names = [input.hostname, ...(input.aliases ?? [])].filter((n, i, a) => NAME.test(n) && a.indexOf(n) === i);
  const lines = [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'ff00::0\tip6-mcastprefix',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
    ...input.addresses.map((a) => `${a}\t${names.join(' ')}`),
    ...(input.extraHosts ?? []).map((e) => parseExtra(e, input.hostGateway).join('\t')),
  ];
  return lines.join('\n') + '\n';
}
