// The host's routed IPv4 prefixes from /proc/net/fib_trie, pure: what `ip -j route show table
// all` said, without its child process. Every table is there (Main, Local, policy tables as
// "Id N"), each prefix as a leaf address line `|-- A.B.C.D` followed by one `/LEN scope TYPE`
// line per route to it.
import { parseCidr, formatCidr } from './cidr.ts';
import type { TakenSubnet } from './ipam.ts';

const LEAF = /^\s*\|-- (\d+\.\d+\.\d+\.\d+)$/;
const ROUTE = /^\s*\/(\d+) \S+ (\S+)/;

/** Routed subnets (default routes and multicast excluded, as routedSubnets does for `ip`'s). */
export function fibTrieSubnets(trie: string): readonly TakenSubnet[] {
  const out: TakenSubnet[] = [];
  const seen = new Set<string>();
  let table = '';
  let leaf: string | undefined;
  for (const line of trie.split('\n')) {
    if (/^\S.*:$/.test(line)) table = line.slice(0, -1).toLowerCase();
    const addr = LEAF.exec(line)?.[1];
    if (addr !== undefined) leaf = addr;
    const route = ROUTE.exec(line);
    if (route === null || leaf === undefined || route[1] === '0') continue;
    const cidr = parseCidr(`${leaf}/${route[1]}`, true);
    const key = formatCidr(cidr);
    if (cidr.base >>> 28 === 14 || seen.has(key)) continue; // multicast (224/4) is routed to no one
    seen.add(key);
    out.push({ cidr, what: `route ${key} (${route[2]!.toLowerCase()}, table ${table})` });
  }
  return out;
}
