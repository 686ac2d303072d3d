// Service discovery on real bridges: clients inside namespace A ask the network's DnsServer (on
// the bridge gateway, port 53) for B by service name and alias, reach it over TCP and UDP, see
// round-robin over two replicas, and get other names forwarded to an upstream stub of our own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createNetworkManager, resolvConfFor, hostsFileFor } from '../../../src/network/index.ts';
import { DnsServer } from '../../../src/network/dns/index.ts';
import { isRoot, makeNetns, probe, serveIn, cleanupStack, tempRoot, sh } from '../../helpers/netns.ts';

test(
  'A reaches B by name and alias over TCP and UDP; replicas rotate',
  { skip: !isRoot() && 'needs root' },
  async (t) => {
    const defer = cleanupStack(t);
    const root = await tempRoot(defer, 'dns');
    const m = createNetworkManager({ root });
    const net = await m.ensureNetwork({ id: `dns${process.pid}_default`, internal: false });
    defer(() => m.removeNetwork(net.id));
    const [a, b, b2] = await Promise.all(['a', 'b', 'b2'].map((tag) => makeNetns(defer, `dns-${tag}`)));
    const ep = async (ns: { path: string }, owner: string) =>
      (await m.attach(ns.path, net.id, { ifname: 'eth0', defaultRoute: true, owner })).address;
    await ep(a!, 'client');
    const bAddr = await ep(b!, 'web-1');
    const b2Addr = await ep(b2!, 'web-2');
    defer(() => Promise.all([a, b, b2].map((ns) => m.detach(ns!.path, net.id))));

    const upstream = new DnsServer({ address: '127.0.0.1', port: 0, upstreams: [], localSuffixes: ['test'] });
    await upstream.start();
    defer(() => upstream.close());
    upstream.set('outside.example.test', ['192.0.2.80']);
    const dns = new DnsServer({
      address: net.gateway,
      upstreams: [`127.0.0.1:${upstream.port}`],
      localSuffixes: ['default'],
    });
    await dns.start();
    defer(() => dns.close());
    dns.set('web', [bAddr, b2Addr]);
    dns.set('web.default', [bAddr, b2Addr]);
    dns.set('api', [bAddr]); // a network alias of web-1
    assert.equal(dns.port, 53);

    await serveIn(defer, b!.name, ['serve-tcp', bAddr, '7000', 'web-1']);
    await serveIn(defer, b!.name, ['serve-udp', bAddr, '7001', 'web-1']);
    await serveIn(defer, b2!.name, ['serve-tcp', b2Addr, '7000', 'web-2']);
    const clientAddr = (await m.list())[0]!.endpoints.find((e) => e.owner === 'client')!.address;

    assert.equal(
      await probe(a!.name, ['ask-tcp', 'api', '7000', 'hello', net.gateway]),
      `web-1 from=${clientAddr} got=hello`,
    );
    assert.equal(
      await probe(a!.name, ['ask-udp', 'api', '7001', 'ping', net.gateway]),
      `web-1 from=${clientAddr} got=ping`,
    );
    const first = JSON.parse(await probe(a!.name, ['resolve', 'web', net.gateway])) as string[];
    const second = JSON.parse(await probe(a!.name, ['resolve', 'web.default', net.gateway])) as string[];
    assert.deepEqual([...first].sort(), [bAddr, b2Addr].sort());
    const third = JSON.parse(await probe(a!.name, ['resolve', 'web', net.gateway])) as string[];
    assert.notEqual(first[0], third[0], 'round-robin rotates the answer order');
    assert.equal(second.length, 2);
    const replies = [
      await probe(a!.name, ['ask-tcp', 'web', '7000', 'x', net.gateway]),
      await probe(a!.name, ['ask-tcp', 'web', '7000', 'x', net.gateway]),
    ];
    assert.deepEqual(
      replies.map((r) => r.split(' ')[0]).sort(),
      ['web-1', 'web-2'],
      'consecutive connections land on both replicas',
    );
    assert.equal(await probe(a!.name, ['resolve', 'nope', net.gateway]), 'error ENOTFOUND');
    assert.equal(await probe(a!.name, ['resolve', 'outside.example.test', net.gateway]), '["192.0.2.80"]');

    // The files gantry writes for a container, seen by glibc: `ip netns exec` bind-mounts
    // /etc/netns/NS/{resolv.conf,hosts} over /etc, as the runtime will bind them into a container.
    const etc = `/etc/netns/${a!.name}`;
    const hadParent = existsSync('/etc/netns');
    await mkdir(etc, { recursive: true });
    defer(async () => {
      await rm(etc, { recursive: true, force: true });
      if (!hadParent) await rmdir('/etc/netns').catch(() => undefined); // still used by someone else: keep
    });
    await writeFile(
      join(etc, 'resolv.conf'),
      resolvConfFor({ dnsAddress: net.gateway, dnsOpt: ['timeout:1', 'attempts:1'] }),
    );
    await writeFile(
      join(etc, 'hosts'),
      hostsFileFor({
        hostname: 'client-1',
        aliases: ['client'],
        addresses: [clientAddr],
        extraHosts: ['legacy.example:192.0.2.9'],
      }),
    );
    const getent = (name: string) =>
      sh('ip', ['netns', 'exec', a!.name, 'getent', 'ahostsv4', name]).then(
        (o) => o.split('\n')[0]!.split(/\s+/)[0],
        () => 'not found',
      );
    assert.equal(await getent('api'), bAddr, 'glibc resolves a service through resolv.conf → DnsServer');
    assert.equal(await getent('client'), clientAddr, 'own name from /etc/hosts');
    assert.equal(await getent('legacy.example'), '192.0.2.9', 'extra_hosts');
    assert.equal(await getent('nope'), 'not found');
  },
);
