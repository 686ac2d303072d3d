// The shim's netlink executor (native/netlink.h, src/network/netlink-ops.ts) against real kernels:
// attaches run no `ip` and no shell and leave what the `ip` path leaves; a line it does not know
// goes through `ip`; its errors read as ip's did; a failed attach leaves no veth behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createNetworkManager, deleteNetns, netnsPath, systemHost, type NetHost } from '../../../src/network/index.ts';
import { ipHostThenBatches } from '../../../src/network/ip-batches.ts';
import { macOfAddress } from '../../../src/network/veth.ts';
import { isRoot, makeNetns, cleanupStack, tempRoot, type Defer } from '../../helpers/netns.ts';
import { countingSpawns } from '../../helpers/count-spawns.ts';

const skip = !isRoot() && 'needs root';
const asLauncher = (file: string, args: readonly string[]): string =>
  file.endsWith('/gantry-shim') && args[0] === 'netlink'
    ? 'netlink'
    : file === '/bin/sh' && args.includes('gantry-ip-delete')
      ? 'ip (delete)'
      : file;

/** Runs a batch with `ip` itself (today's path, for the comparisons). */
function ipBatch(lines: readonly string[], ns?: string): string {
  const args = ns === undefined ? ['-batch', '-'] : ['-n', ns, '-batch', '-'];
  const r = spawnSync('ip', args, { input: lines.join('\n') + '\n', encoding: 'utf8' });
  return r.status === 0 ? '' : r.stderr;
}

/** The system host with every batch through `ip` processes, as before the executor. */
function ipOnlyHost(): NetHost {
  const base = systemHost();
  return {
    ipBatch: async (lines, path) => {
      const err = lines.length === 0 ? '' : ipBatch(lines, path === undefined ? undefined : basename(path));
      if (err !== '') throw new Error(err);
    },
    ipJson: (a) => base.ipJson(a),
    linkNames: () => base.linkNames!(),
    routeTrie: () => base.routeTrie!(),
    ipDeleteBatch: (l, d) => base.ipDeleteBatch!(l, d),
    detectFirewall: () => base.detectFirewall(),
    iptablesSave: () => base.iptablesSave(),
    iptablesRestore: (t) => base.iptablesRestore(t),
    nft: (s) => base.nft(s),
    nftTables: () => base.nftTables(),
    readSysctl: (k) => base.readSysctl(k),
    writeSysctl: (k, v) => base.writeSysctl(k, v),
  };
}

type Json = Record<string, unknown>;
const ipJson = (args: readonly string[]): Json[] =>
  JSON.parse(execFileSync('ip', ['-j', ...args], { encoding: 'utf8' }));
const flagsOf = (l: Json): string[] => (l['flags'] as string[]).filter((f) => !/LOWER_UP|NO-CARRIER|M-DOWN/.test(f));
const linkFacts = (l: Json): Json => ({
  ifname: l['ifname'],
  mtu: l['mtu'],
  flags: flagsOf(l),
  kind: (l['linkinfo'] as Json | undefined)?.['info_kind'],
  address: l['address'],
  alias: l['ifalias'],
});
const inet = (ns: string[], dev?: string): Json[] =>
  ipJson([...ns, 'addr', 'show', ...(dev === undefined ? [] : ['dev', dev])]).flatMap((l) =>
    (l['addr_info'] as Json[])
      .filter((a) => a['family'] === 'inet')
      .map((a) => ({ dev: l['ifname'], local: a['local'], prefixlen: a['prefixlen'], scope: a['scope'] })),
  );
const toNumber = (a: string): number => a.split('.').reduce((n, b) => n * 256 + Number(b), 0);

/** A network with three endpoints (MTU 1400, a given MAC, a given address) made by `host`, as ip shows it. */
async function attachedSnapshot(
  defer: Defer,
  tag: string,
  host?: NetHost,
): Promise<{ readonly spawns: readonly string[]; readonly text: string }> {
  const root = await tempRoot(defer, tag);
  const m = createNetworkManager({ root, firewall: 'none', ...(host === undefined ? {} : { host }) });
  const made = await countingSpawns(
    () => m.ensureNetwork({ id: `${tag}${process.pid}_default`, internal: false, mtu: 1400 }),
    asLauncher,
  );
  const net = made.result;
  defer(() => m.removeNetwork(net.id).catch(() => undefined));
  const names = [0, 1, 2].map((i) => `gtest-${process.pid}-${tag}${i}`);
  for (const n of names) defer(() => deleteNetns(n));
  const gw = toNumber(net.gateway);
  const { result: eps, spawns } = await countingSpawns(
    () =>
      Promise.all(
        names.map((n, i) =>
          m.attach(netnsPath(n), net.id, {
            ifname: 'eth0',
            defaultRoute: i !== 2,
            newNetns: { owner: root },
            ...(i === 1 ? { macAddress: '02:00:00:aa:bb:cc' } : {}),
            ...(i === 2 ? { ipv4Address: net.gateway.replace(/\d+$/, String((gw & 255) + 9)) } : {}),
          }),
        ),
      ),
    asLauncher,
  );
  const words: [string, string][] = [
    [root, 'ROOT'],
    [net.subnet, 'SUBNET'],
    [net.bridge, 'BRIDGE'],
    [macOfAddress(gw), 'MAC(GW)'],
    ...eps.flatMap((e, i): [string, string][] => [
      [macOfAddress(toNumber(e.address)), `MAC(EP${i})`],
      [e.hostVeth, `VETH${i}`],
    ]),
    ...eps.map((e, i): [string, string] => [`"${e.address}"`, `"EP${i}"`]),
    [`"${net.gateway}"`, '"GW"'],
    ...names.map((n, i): [string, string] => [n, `NS${i}`]),
  ];
  const bridge = ipJson(['-d', 'link', 'show', 'dev', net.bridge])[0]!;
  const facts = {
    bridge: { ...linkFacts(bridge), assign: readFileSync(`/sys/class/net/${net.bridge}/addr_assign_type`, 'utf8') },
    bridgeAddr: inet([], net.bridge),
    veths: eps.map((e) => {
      const l = ipJson(['-d', 'link', 'show', 'dev', e.hostVeth])[0]!;
      return { ...linkFacts(l), address: undefined, master: l['master'], peerNs: l['link_netnsid'] !== undefined };
    }),
    inside: names.map((n) => ({
      links: ipJson(['-n', n, '-d', 'link', 'show']).map(linkFacts),
      addrs: inet(['-n', n]),
      routes: ipJson(['-n', n, 'route', 'show']),
    })),
  };
  let text = JSON.stringify(facts, null, 1);
  for (const [from, to] of words) text = text.replaceAll(from, to);
  return { spawns: [...made.spawns, ...spawns], text };
}

test(
  'a bridge and an attach of three endpoints run no `ip` and no shell, and leave what the `ip` path leaves',
  { skip },
  async (t) => {
    const defer = cleanupStack(t);
    const viaIp = await attachedSnapshot(defer, 'nlxa', ipOnlyHost());
    const viaShim = await attachedSnapshot(defer, 'nlxb');
    assert.deepEqual(viaShim.spawns, ['netlink', 'netlink'], `bridge and attach spawned: ${viaShim.spawns.join(', ')}`);
    assert.equal(viaShim.text, viaIp.text);
    // and what that is: the peers in their namespaces, addressed, routed, up, at the network's MTU
    const facts = JSON.parse(viaShim.text) as {
      bridge: Json;
      inside: { links: Json[]; routes: Json[] }[];
      veths: Json[];
    };
    assert.equal(facts.bridge['alias'], 'gantry:ROOT');
    assert.deepEqual(
      facts.inside.map((ns) => ns.links.map((l) => `${l['ifname']} ${l['mtu']} ${l['address']} ${l['flags']}`)),
      [0, 1, 2].map((i) => [
        'lo 65536 00:00:00:00:00:00 LOOPBACK,UP',
        `eth0 1400 ${i === 1 ? '02:00:00:aa:bb:cc' : `MAC(EP${i})`} BROADCAST,MULTICAST,UP`,
      ]),
    );
    assert.deepEqual(
      facts.inside.map((ns) => ns.routes.filter((r) => r['dst'] === 'default').map((r) => r['gateway'])),
      [['GW'], ['GW'], []],
    );
    assert.deepEqual(
      facts.veths.map((v) => `${v['master']} ${v['mtu']} ${v['peerNs']}`),
      ['BRIDGE 1400 true', 'BRIDGE 1400 true', 'BRIDGE 1400 true'],
    );
  },
);

test('a batch with a line the executor does not know goes through `ip`, and still works', { skip }, async (t) => {
  const defer = cleanupStack(t);
  const ns = await makeNetns(defer, 'nlxu');
  const known = await countingSpawns(
    () => ipHostThenBatches([], [{ netns: ns.name, lines: ['link set lo up'] }]),
    asLauncher,
  );
  assert.deepEqual(known.spawns, ['netlink']);
  const lines = ['link set lo mtu 65000', 'link set lo up'];
  const other = await countingSpawns(() => ipHostThenBatches([], [{ netns: ns.name, lines }]), asLauncher);
  assert.deepEqual(other.spawns, ['/bin/sh']);
  assert.deepEqual(other.result.jobs, [undefined]);
  assert.equal(ipJson(['-n', ns.name, 'link', 'show', 'lo'])[0]!['mtu'], 65000);
});

test("a failing op reports its job's error in ip's words, and stops the job there", { skip }, async (t) => {
  const defer = cleanupStack(t);
  const [a, b] = await Promise.all([makeNetns(defer, 'nlxe0'), makeNetns(defer, 'nlxe1')]);
  // the same failing batch (the second address exists) through `ip` in a, through the executor in b
  const lines = ['addr add 10.77.0.2/24 dev lo', 'addr add 10.77.0.2/24 dev lo', 'link set lo up'];
  const ipSays = ipBatch(lines, a!.name).trim().split('\n').join('; ');
  const { result, spawns } = await countingSpawns(() => ipHostThenBatches([], [{ netns: b!.name, lines }]), asLauncher);
  assert.deepEqual(spawns, ['netlink']);
  assert.equal(String(result.jobs[0]), `RuntimeError: network: \`ip -n ${b!.name} -batch -\` failed: ${ipSays}`);
  assert.match(ipSays, /(File exists|already assigned).*; Command failed -:2$/);
  assert.doesNotMatch(execFileSync('ip', ['-n', b!.name, 'link', 'show', 'lo'], { encoding: 'utf8' }), /[<,]UP[,>]/);
  // a host job's: nothing after it runs
  const host = await countingSpawns(
    () => ipHostThenBatches(['link set gantrynone0 up'], [{ netns: b!.name, lines: ['link set lo up'] }]),
    asLauncher,
  );
  assert.deepEqual(host.spawns, ['netlink']);
  const hostSays = ipBatch(['link set gantrynone0 up']).trim().split('\n').join('; ');
  assert.equal(String(host.result.host), `RuntimeError: network: \`ip -batch -\` failed: ${hostSays}`);
  assert.doesNotMatch(execFileSync('ip', ['-n', b!.name, 'link', 'show', 'lo'], { encoding: 'utf8' }), /[<,]UP[,>]/);
});

test("an attach whose bridge is gone fails in ip's words and leaves no veth", { skip }, async (t) => {
  const defer = cleanupStack(t);
  const root = await tempRoot(defer, 'nlxf');
  const m = createNetworkManager({ root, firewall: 'none' });
  const net = await m.ensureNetwork({ id: `nlxf${process.pid}_default`, internal: false });
  defer(() => m.removeNetwork(net.id).catch(() => undefined));
  execFileSync('ip', ['link', 'del', net.bridge]);
  const names = [0, 1].map((i) => `gtest-${process.pid}-nlxf${i}`);
  for (const n of names) defer(() => deleteNetns(n));
  const { result, spawns } = await countingSpawns(
    () =>
      Promise.allSettled(
        names.map((n) =>
          m.attach(netnsPath(n), net.id, { ifname: 'eth0', defaultRoute: true, newNetns: { owner: root } }),
        ),
      ),
    asLauncher,
  );
  assert.deepEqual(
    spawns.filter((s) => s !== 'netlink' && s !== 'ip (delete)'),
    [],
    `spawned: ${spawns.join(', ')}`,
  );
  const ipSays = ipBatch([`link set lo master ${net.bridge}`])
    .trim()
    .split('\n')[0]!; // ip's words for it
  for (const r of result) assert.match(String(r.status === 'rejected' && r.reason), new RegExp(`failed: ${ipSays}`));
  // a veth left on the host would have its peer (eth0) in the namespace: only lo is there
  for (const n of names)
    assert.deepEqual(
      ipJson(['-n', n, 'link', 'show']).map((l) => l['ifname']),
      ['lo'],
      n,
    );
  assert.deepEqual((await m.list()).find((n) => n.id === net.id)?.endpoints, []);
});
