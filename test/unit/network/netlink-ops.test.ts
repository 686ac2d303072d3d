// The lines the network module writes on up's path, and a teardown's, translate to the shim's
// netlink ops (native/netlink.h); any other line does not, so its batch runs through `ip`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { netlinkOp } from '../../../src/network/netlink-ops.ts';
import { vethHostLines, vethInsideLines, vethsHostDeleteLines } from '../../../src/network/veth.ts';
import { hostLinksDeleteLines } from '../../../src/network/context.ts';
import { bridgeCreateLines, bridgePinLines } from '../../../src/network/bridge.ts';
import { ownerAliasLine } from '../../../src/network/owners.ts';

const plan = {
  hostVeth: 'gv-0123456789ab',
  bridge: 'gt-ba9876543210',
  netnsPath: '/run/netns/gantry-x',
  ifname: 'eth1',
  address: 0x0a000005,
  prefix: 24,
  gateway: 0x0a000001,
  defaultRoute: true,
};

test("gantry's own up-path lines each become one op", () => {
  const lines = [
    'netns add gantry-x',
    ...bridgeCreateLines('gt-ba9876543210', { subnet: { base: 0x0a000000, prefix: 24 }, gateway: 0x0a000001 }, 1400),
    ...ownerAliasLine('gt-ba9876543210', '/var/lib/gantry/networks'),
    ...vethHostLines({ ...plan, mtu: 1400, macAddress: '02:00:00:aa:bb:cc' }),
    ...vethHostLines(plan),
    ...vethInsideLines(plan),
  ];
  assert.deepEqual(lines.map(netlinkOp), [
    ['netns', 'gantry-x'],
    ['bridge', 'gt-ba9876543210', '1400', '02:42:0a:00:00:01'],
    ['addr', 'gt-ba9876543210', '10.0.0.1', '24'],
    ['up', 'gt-ba9876543210'],
    ['alias', 'gt-ba9876543210', 'gantry:/var/lib/gantry/networks'],
    ['veth', 'gv-0123456789ab', 'eth1', '1400', '02:00:00:aa:bb:cc', '/run/netns/gantry-x'],
    ['master', 'gv-0123456789ab', 'gt-ba9876543210'],
    ['up', 'gv-0123456789ab'],
    ['veth', 'gv-0123456789ab', 'eth1', '0', '-', '/run/netns/gantry-x'],
    ['master', 'gv-0123456789ab', 'gt-ba9876543210'],
    ['up', 'gv-0123456789ab'],
    ['addr', 'eth1', '10.0.0.5', '24'],
    ['up', 'lo'],
    ['up', 'eth1'],
    ['route', 'eth1', '10.0.0.1'],
  ]);
  assert.deepEqual(bridgePinLines('gantry-no-such-link', 1).map(netlinkOp), []);
  assert.deepEqual(netlinkOp('link set dev gt-ba9876543210 address 02:42:0a:00:00:01'), [
    'mac',
    'gt-ba9876543210',
    '02:42:0a:00:00:01',
  ]);
});

test("a teardown's lines each become one op", () => {
  assert.deepEqual(vethsHostDeleteLines(['gv-a', 'gt-b'], 1234567, ['netns del gantry-x']).map(netlinkOp), [
    ['group', 'gv-a', '1234567'],
    ['group', 'gt-b', '1234567'],
    ['netnsdel', 'gantry-x'],
    ['delgroup', '1234567'],
  ]);
  assert.deepEqual(hostLinksDeleteLines(['gt-b']).map(netlinkOp), [['del', 'gt-b']]);
});

test('other lines, and veth ends of different MTUs, are not translated', () => {
  for (const line of [
    'link set lo mtu 65000',
    'link del dev gv-0123456789ab',
    'link set dev gv-a group default',
    'netns del gantry-x extra',
    'link add gv-a mtu 1400 type veth peer name eth0 mtu 1500 netns /run/netns/x',
    'link add gv-a type veth peer name eth0 netns x',
    'route replace 10.0.0.0/8 via 10.0.0.1 dev eth0',
    'addr add 10.0.0.5/24 dev eth0 label eth0:1',
  ])
    assert.equal(netlinkOp(line), undefined, line);
});
