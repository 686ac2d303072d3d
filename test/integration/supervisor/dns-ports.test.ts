// The supervisor on a real bridge: service DNS (round-robin over two replicas, container names,
// NAME.NETWORK, NXDOMAIN, forwarding to a stub upstream of ours), a published port on 127.0.0.1
// reaching the container's server, records following container exits, kill -9 of the supervisor
// (containers live on, the next ensureSupervisor re-adopts) and stopSupervisor freeing its ports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection, createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { DnsServer } from '../../../src/network/dns/index.ts';
import { ensureSupervisor, stopSupervisor } from '../../../src/supervisor/index.ts';
import { filesOf, livePid } from '../../../src/supervisor/files.ts';
import { isRoot } from '../../helpers/netns.ts';
import { askA, container, projectFixture, until } from './project-fixture.ts';

async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function fetchLine(port: number): Promise<string> {
  const sock = createConnection({ host: '127.0.0.1', port });
  let out = '';
  sock.on('data', (d: Buffer) => (out += d.toString()));
  await once(sock, 'close');
  return out.trim();
}

async function canBind(kind: 'udp' | 'tcp', address: string, port: number): Promise<boolean> {
  try {
    if (kind === 'udp') {
      const s = createSocket('udp4');
      s.bind(port, address);
      await Promise.race([once(s, 'listening'), once(s, 'error').then(([e]) => Promise.reject(e as Error))]);
      s.close();
    } else {
      const s = createServer().listen(port, address);
      await Promise.race([once(s, 'listening'), once(s, 'error').then(([e]) => Promise.reject(e as Error))]);
      await new Promise((r) => s.close(r));
    }
    return true;
  } catch {
    return false;
  }
}

test(
  'supervisor: DNS, published ports, kill -9 re-adoption, stop',
  { skip: !isRoot() && 'needs root', timeout: 120_000 },
  async (t) => {
    const f = projectFixture(t, 'dns');
    const net = await f.nets.ensureNetwork({ id: `${f.project}_default`, internal: false });
    f.defer(() => f.nets.removeNetwork(net.id));
    const upstream = new DnsServer({ address: '127.0.0.1', port: 0, upstreams: [], localSuffixes: ['test'] });
    await upstream.start();
    f.defer(() => upstream.close());
    upstream.set('outside.example.test', ['192.0.2.7']);

    const ep1 = await f.endpoint(net.id, 'web-1');
    const ep2 = await f.endpoint(net.id, 'web-2');
    const server = (n: string) => ['/bin/nc', '-ll', '-p', '80', '-e', '/bin/echo', n];
    const web1 = await f.start('web-1', server('web-1'), { netns: ep1.path });
    const web2 = await f.start('web-2', server('web-2'), { netns: ep2.path });
    const hostPort = await freePort();
    const endpoint = (address: string, id: string) => [{ networkId: net.id, address, names: ['web', id, 'www'] }];
    const set = {
      networks: [{ networkId: net.id, dnsAddress: net.gateway, internal: false }],
      containers: [
        container(web1, 'web', {
          endpoints: endpoint(ep1.address, web1),
          ports: [{ hostIp: '127.0.0.1', hostPort, containerPort: 80, protocol: 'tcp' as const }],
        }),
        container(web2, 'web', { number: 2, endpoints: endpoint(ep2.address, web2) }),
      ],
      upstreamDns: [`127.0.0.1:${upstream.port}`],
    };
    f.writeSet(set);
    await ensureSupervisor(f.projectDir);

    await t.test('service name answers both replicas, rotating', async () => {
      const a = await askA(net.gateway, 'web');
      const b = await askA(net.gateway, 'web');
      assert.deepEqual([...a.addrs].sort(), [ep1.address, ep2.address].sort());
      assert.notEqual(a.addrs[0], b.addrs[0]);
      assert.deepEqual((await askA(net.gateway, web2)).addrs, [ep2.address]);
      assert.deepEqual((await askA(net.gateway, 'www.default')).addrs.sort(), [ep1.address, ep2.address].sort());
    });

    await t.test('a container resolves another by service name (busybox nslookup inside web-1)', async () => {
      const r = await f.rt.exec(
        web1,
        { args: ['/bin/nslookup', web2, net.gateway], env: ['PATH=/bin'], cwd: '/' },
        { timeoutMs: 5000 },
      );
      assert.equal(r.exitCode, 0, r.stdout + r.stderr);
      assert.match(r.stdout, new RegExp(`Address:\\s+${ep2.address.replaceAll('.', '\\.')}\\b`));
    });

    await t.test('unknown project names are NXDOMAIN; the rest goes to the upstream', async () => {
      assert.equal((await askA(net.gateway, 'nosuch')).rcode, 'NXDOMAIN');
      assert.deepEqual((await askA(net.gateway, 'outside.example.test')).addrs, ['192.0.2.7']);
    });

    await t.test('the published port reaches the container', async () => {
      assert.equal(await fetchLine(hostPort), 'web-1');
    });

    await t.test('a reload drops a container from the records and adds it back', async () => {
      f.writeSet({ ...set, containers: set.containers.slice(0, 1) });
      await ensureSupervisor(f.projectDir);
      assert.deepEqual((await askA(net.gateway, 'web')).addrs, [ep1.address]);
      f.writeSet(set);
      await ensureSupervisor(f.projectDir);
      assert.equal((await askA(net.gateway, 'web')).addrs.length, 2);
    });

    await t.test('a container that dies leaves the records; the port stays bound', async () => {
      f.rt.kill(web2, 'SIGKILL');
      await until('web-2 gone from DNS', async () => (await askA(net.gateway, 'web')).addrs.length === 1);
      assert.equal((await askA(net.gateway, web2)).rcode, 'NXDOMAIN');
    });

    await t.test('kill -9 of the supervisor: containers live on, ensureSupervisor re-adopts', async () => {
      const files = filesOf(f.projectDir);
      const old = livePid(files)!;
      process.kill(old, 'SIGKILL');
      await until('supervisor dead', () => livePid(files) === undefined);
      assert.equal(f.rt.state(web1).status, 'running');
      assert.equal(await canBind('tcp', '127.0.0.1', hostPort), true, 'a dead supervisor holds no port');
      await f.rt.start(web2); // adopting also sees a container that came back
      f.writeSet(set);
      await ensureSupervisor(f.projectDir);
      assert.notEqual(livePid(files), old);
      assert.deepEqual((await askA(net.gateway, 'web')).addrs.sort(), [ep1.address, ep2.address].sort());
      assert.equal(await fetchLine(hostPort), 'web-1');
    });

    await t.test('stopSupervisor frees port 53 and the published port', async () => {
      await stopSupervisor(f.projectDir);
      assert.equal(livePid(filesOf(f.projectDir)), undefined);
      assert.equal(await canBind('udp', net.gateway, 53), true);
      assert.equal(await canBind('tcp', net.gateway, 53), true);
      assert.equal(await canBind('tcp', '127.0.0.1', hostPort), true);
      assert.equal(f.rt.state(web1).status, 'running', 'stopping the supervisor leaves containers alone');
    });

    await t.test('a published port already in use fails ensureSupervisor, naming it', async () => {
      const busy = createServer().listen(0, '127.0.0.1');
      await once(busy, 'listening');
      t.after(() => new Promise((r) => busy.close(r)));
      const port = (busy.address() as { port: number }).port;
      const [first, ...rest] = set.containers;
      f.writeSet({
        ...set,
        containers: [
          { ...first!, ports: [{ hostIp: '127.0.0.1', hostPort: port, containerPort: 80, protocol: 'tcp' }] },
          ...rest,
        ],
      });
      await assert.rejects(
        ensureSupervisor(f.projectDir),
        new RegExp(`service web: port 127\\.0\\.0\\.1:${port}/tcp is already in use`),
      );
      assert.deepEqual((await askA(net.gateway, 'web')).addrs.length, 2, 'the rest of the set still applies');
    });

    await t.test('without supervision.json the supervisor exits by itself, releasing port 53', async () => {
      const files = filesOf(f.projectDir);
      assert.notEqual(livePid(files), undefined);
      rmSync(files.set);
      await until('supervisor gone', () => livePid(files) === undefined, 5000);
      assert.equal(await canBind('udp', net.gateway, 53), true);
    });
  },
);
