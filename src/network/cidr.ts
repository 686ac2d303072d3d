// IPv4 CIDR arithmetic on plain numbers (uint32), parsed and validated through ipaddr.js.
import ipaddr from 'ipaddr.js';
import { ConfigError } from '../common/errors.ts';

export interface Cidr {
  readonly base: number; // network address, host bits zero
  readonly prefix: number;
}

export function parseIpv4(text: string, what = 'address'): number {
  if (!ipaddr.IPv4.isValidFourPartDecimal(text)) throw new ConfigError(`invalid IPv4 ${what} "${text}"`);
  const b = ipaddr.IPv4.parse(text).octets;
  return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

const mask = (prefix: number): number => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/** Parses "a.b.c.d/n"; host bits must be zero unless `loose` (routes such as "10.0.0.5/24"). */
export function parseCidr(text: string, loose = false): Cidr {
  const [addr, len, extra] = text.split('/');
  const prefix = len === undefined ? 32 : Number(len);
  if (extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32 || addr === undefined) {
    throw new ConfigError(`invalid IPv4 subnet "${text}"`);
  }
  const n = parseIpv4(addr, 'subnet');
  const base = (n & mask(prefix)) >>> 0;
  if (!loose && base !== n)
    throw new ConfigError(`subnet "${text}" has host bits set (use ${formatIpv4(base)}/${prefix})`);
  return { base, prefix };
}

export const formatCidr = (c: Cidr): string => `${formatIpv4(c.base)}/${c.prefix}`;
export const size = (c: Cidr): number => 2 ** (32 - c.prefix);
export const last = (c: Cidr): number => c.base + size(c) - 1;

export function contains(outer: Cidr, addr: number): boolean {
  return addr >= outer.base && addr <= last(outer);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base <= last(b) && b.base <= last(a);
}

export function within(inner: Cidr, outer: Cidr): boolean {
  return inner.prefix >= outer.prefix && contains(outer, inner.base);
}
