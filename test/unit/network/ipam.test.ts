// IPAM: pools, subnet choice around host routes and other networks, explicit config, addresses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePools, pickSubnet, DEFAULT_POOLS } from '../../../src/network/pools.ts';
import { planSubnet, allocateAddress, routedSubnets } from '../../../src/network/ipam.ts';
import { fibTrieSubnets } from '../../../src/network/fib-trie.ts';
import { parseCidr, formatCidr, formatIpv4, parseIpv4 } from '../../../src/network/cidr.ts';
import { ConfigError, RuntimeError } from '../../../src/common/errors.ts';

const pools = parsePools(DEFAULT_POOLS);
const taken = (...c: string[]) => c.map((s) => ({ cidr: parseCidr(s, true), what: `route ${s}` }));
const cidrs = (...c: string[]) => taken(...c).map((t) => t.cidr);

test('default pools start like Docker: 172.17/16, then 172.18/16 … then 192.168.x/20', () => {
  assert.equal(formatCidr(pickSubnet(pools, [])!), '172.17.0.0/16');
  assert.equal(formatCidr(pickSubnet(pools, cidrs('172.17.0.0/16'))!), '172.18.0.0/16');
  assert.equal(formatCidr(pickSubnet(pools, cidrs('172.16.0.0/12'))!), '192.168.0.0/20');
  assert.equal(formatCidr(pickSubnet(pools, cidrs('172.16.0.0/12', '192.168.0.5/32'))!), '192.168.16.0/20');
});

test('a route inside a candidate subnet makes it taken; a large clash is skipped in one step', () => {
  const p = parsePools('10.0.0.0/8:24');
  assert.equal(formatCidr(pickSubnet(p, cidrs('10.0.0.128/25'))!), '10.0.1.0/24');
  assert.equal(formatCidr(pickSubnet(p, cidrs('10.0.0.0/9'))!), '10.128.0.0/24');
  assert.equal(pickSubnet(parsePools('10.0.0.0/24:24'), cidrs('10.0.0.0/8')), undefined);
});

test('GANTRY_ADDRESS_POOLS syntax errors are ConfigErrors naming the entry', () => {
  assert.throws(() => parsePools('10.0.0.0/8:4'), /"10.0.0.0\/8:4": size must be between \/8 and \/30/);
  assert.throws(() => parsePools('10.0.0.1/8'), ConfigError);
  assert.throws(() => parsePools(' , '), /no pool given/);
});

test('explicit subnet, gateway and ip_range are checked', () => {
  const plan = planSubnet('p_n', { subnet: '10.5.0.0/24', ipRange: '10.5.0.128/25', gateway: '10.5.0.254' }, pools, []);
  assert.equal(formatIpv4(plan.gateway), '10.5.0.254');
  assert.throws(
    () => planSubnet('p_n', { subnet: '10.5.0.0/24' }, pools, taken('10.5.0.0/16')),
    (e: unknown) =>
      e instanceof RuntimeError && /network p_n: subnet 10.5.0.0\/24 overlaps route 10.5.0.0\/16/.test(e.message),
  );
  assert.throws(
    () => planSubnet('p_n', { subnet: '10.5.0.0/24', gateway: '10.6.0.1' }, pools, []),
    /not a host address/,
  );
  assert.throws(
    () => planSubnet('p_n', { subnet: '10.5.0.0/24', ipRange: '10.5.1.0/25' }, pools, []),
    /not inside subnet/,
  );
  assert.throws(() => planSubnet('p_n', { subnet: '10.5.0.1/24' }, pools, []), /host bits set \(use 10.5.0.0\/24\)/);
});

test('addresses: lowest free in ip_range, skipping gateway and used; static checked', () => {
  const plan = planSubnet('p_n', { subnet: '10.5.0.0/29' }, pools, []);
  const used = new Set([parseIpv4('10.5.0.2')]);
  assert.equal(formatIpv4(allocateAddress('p_n', plan, used)), '10.5.0.3');
  assert.equal(formatIpv4(allocateAddress('p_n', plan, used, '10.5.0.6')), '10.5.0.6');
  assert.throws(() => allocateAddress('p_n', plan, used, '10.5.0.2'), /10.5.0.2 is already in use/);
  assert.throws(() => allocateAddress('p_n', plan, used, '10.5.0.7'), /not a host address/); // broadcast
  const full = new Set([2, 3, 4, 5, 6].map((i) => parseIpv4(`10.5.0.${i}`)));
  assert.throws(() => allocateAddress('p_n', plan, full), /no free address left in 10.5.0.0\/29/);
  const ranged = planSubnet('p_n', { subnet: '10.5.0.0/24', ipRange: '10.5.0.64/26' }, pools, []);
  assert.equal(formatIpv4(allocateAddress('p_n', ranged, new Set())), '10.5.0.64');
});

test('host routes from `ip -j route show table all`', () => {
  const r = routedSubnets([
    { dst: 'default', gateway: '192.0.2.1', dev: 'eth0' },
    { dst: '192.0.2.0/24', dev: 'eth0' },
    { type: 'local', dst: '192.0.2.2', dev: 'eth0', table: 'local' },
    { dst: 'fe80::/64', dev: 'eth0' },
    { type: 'multicast', dst: 'ff00::/8' },
    { dst: '224.0.0.0/4', dev: 'eth0' },
  ]);
  assert.deepEqual(
    r.map((t) => t.what),
    ['route 192.0.2.0/24 dev eth0', 'route 192.0.2.2 dev eth0'],
  );
});

test('host routes from /proc/net/fib_trie: every table, as `ip -j route show table all` lists them', () => {
  const trie = [
    'Id 100:',
    '  +-- 10.88.0.0/16 2 0 2',
    '     |-- 10.88.0.0',
    '        /16 link UNICAST',
    'Main:',
    '  +-- 0.0.0.0/0 3 0 5',
    '     |-- 0.0.0.0',
    '        /0 universe UNICAST',
    '     +-- 192.0.2.0/24 2 0 2',
    '        +-- 192.0.2.0/30 2 0 2',
    '           |-- 192.0.2.0',
    '              /24 link UNICAST',
    '           |-- 192.0.2.2',
    '              /32 host LOCAL',
    '        |-- 224.0.0.0',
    '           /4 universe MULTICAST',
    'Local:',
    '  +-- 192.0.2.0/24 2 0 2',
    '     |-- 192.0.2.2',
    '        /32 host LOCAL',
    '     |-- 192.0.2.255',
    '        /32 link BROADCAST',
    '',
  ].join('\n');
  assert.deepEqual(
    fibTrieSubnets(trie).map((t) => t.what),
    [
      'route 10.88.0.0/16 (unicast, table id 100)',
      'route 192.0.2.0/24 (unicast, table main)',
      'route 192.0.2.2/32 (local, table main)',
      'route 192.0.2.255/32 (broadcast, table local)',
    ],
  );
});
