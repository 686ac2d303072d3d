// The host programs gantry starts, looked up on PATH as gantry runs them, each with the Debian
// package that provides it.
import type { DoctorCheck } from './check.ts';
import type { DoctorProbe } from './probe.ts';

interface Tool {
  readonly name: string;
  readonly any: readonly string[]; // one of these is enough
  readonly debian: string;
  readonly required: boolean;
  readonly why: string;
}

const TOOLS: readonly Tool[] = [
  { name: 'ip', any: ['ip'], debian: 'iproute2', required: true, why: 'bridges, veths, network namespaces' },
  {
    name: 'firewall',
    any: ['iptables', 'nft'],
    debian: 'iptables (or nftables)',
    required: true,
    why: 'NAT and published ports',
  },
  { name: 'nsenter', any: ['nsenter'], debian: 'util-linux', required: true, why: 'joins namespaces' },
  { name: 'zstd', any: ['zstd'], debian: 'zstd', required: false, why: 'zstd image layers on Node without zlib zstd' },
];

export function toolChecks(p: DoctorProbe): DoctorCheck[] {
  return TOOLS.map((t) => {
    const found = t.any.map((cmd) => p.which(cmd)).find((path) => path !== undefined);
    return {
      name: t.name,
      required: t.required,
      ok: found !== undefined,
      detail: found ?? `${t.any.join(' or ')} not found on PATH (${t.why})`,
      fix: `apt-get install ${t.debian}`,
    };
  });
}
