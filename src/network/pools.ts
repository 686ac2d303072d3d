// Where automatic subnets come from. The default mirrors Docker's (172.17–31.0.0/16, then
// 192.168.0.0/16 cut into /20s); GANTRY_ADDRESS_POOLS="CIDR[:SIZE],…" replaces it.
import { ConfigError } from '../common/errors.ts';
import { type Cidr, parseCidr, formatCidr, overlaps, size } from './cidr.ts';

export interface AddressPool {
  readonly range: Cidr;
  readonly size: number; // prefix length of each subnet carved from range
}

export const DEFAULT_POOLS = '172.17.0.0/16:16,172.18.0.0/15:16,172.20.0.0/14:16,172.24.0.0/13:16,192.168.0.0/16:20';

export function parsePools(text: string): readonly AddressPool[] {
  const pools = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((entry) => {
      const [cidr, sz] = entry.split(':');
      const range = parseCidr(cidr ?? '');
      const prefix = sz === undefined ? range.prefix : Number(sz);
      if (!Number.isInteger(prefix) || prefix < range.prefix || prefix > 30) {
        throw new ConfigError(`GANTRY_ADDRESS_POOLS: "${entry}": size must be between /${range.prefix} and /30`);
      }
      return { range, size: prefix };
    });
  if (pools.length === 0) throw new ConfigError('GANTRY_ADDRESS_POOLS: no pool given');
  return pools;
}

export function poolsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): readonly AddressPool[] {
  const v = env['GANTRY_ADDRESS_POOLS'];
  return parsePools(v && v.trim() !== '' ? v : DEFAULT_POOLS);
}

/** First subnet of the pools that overlaps nothing taken (host routes, other gantry networks). */
export function pickSubnet(pools: readonly AddressPool[], taken: readonly Cidr[]): Cidr | undefined {
  for (const pool of pools) {
    const step = 2 ** (32 - pool.size);
    for (let base = pool.range.base; base < pool.range.base + size(pool.range); base += step) {
      const candidate: Cidr = { base, prefix: pool.size };
      const clash = taken.find((t) => overlaps(t, candidate));
      if (!clash) return candidate;
      // Skip past a large clash in one step instead of walking every subnet inside it.
      const next = pool.range.base + Math.ceil((clash.base + size(clash) - pool.range.base) / step) * step;
      base = Math.max(base, next - step);
    }
  }
  return undefined;
}

export const describePools = (pools: readonly AddressPool[]): string =>
  pools.map((p) => `${formatCidr(p.range)}:${p.size}`).join(',');
