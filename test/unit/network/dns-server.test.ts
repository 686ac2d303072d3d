// The DNS responder over real loopback sockets (no root): local names, round-robin, NODATA vs
// NXDOMAIN, truncation with TCP retry, forwarding to an upstream stub of our own, SERVFAIL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { connect } from 'node:net';
import { once } from 'node:events';
import * as dnsPacket from 'dns-packet';
import { DnsServer } from '../../../src/network/dns/index.ts';

async function started(opts: ConstructorParameters<typeof DnsServer>[0]): Promise<DnsServer> {
  const s = new DnsServer(opts);
  await s.start();
  return s;
}

function resolverFor(s: DnsServer): Resolver {
  const r = new Resolver({ timeout: 1000, tries: 1 });
  r.setServers([`127.0.0.1:${s.port}`]);
  return r;
}

test('DNS responder answers, rotates, forwards and fails cleanly', async (t) => {
  const upstream = await started({ address: '127.0.0.1', port: 0, upstreams: [], localSuffixes: ['test'] });
  t.after(() => upstream.close());
  upstream.set('far.example.test', ['192.0.2.55']);
  const dns = await started({
    address: '127.0.0.1',
    port: 0,
    upstreams: [`127.0.0.1:${upstream.port}`],
    localSuffixes: ['backend'],
  });
  t.after(() => dns.close());
  dns.set('web', ['10.1.0.2', '10.1.0.3']);
  dns.set('web.backend', ['10.1.0.2', '10.1.0.3']);
  dns.set('DB', ['10.1.0.9']);
  const r = resolverFor(dns);

  await t.test('round-robin over replicas', async () => {
    const a = await r.resolve4('web');
    const b = await r.resolve4('web');
    assert.deepEqual([...a].sort(), ['10.1.0.2', '10.1.0.3']);
    assert.notEqual(a[0], b[0]);
    assert.deepEqual(await r.resolve4('db'), ['10.1.0.9']); // case-insensitive
  });
  await t.test('known name without AAAA: NODATA; unknown local names: NXDOMAIN', async () => {
    await assert.rejects(r.resolve6('db'), { code: 'ENODATA' });
    await assert.rejects(r.resolve4('nope'), { code: 'ENOTFOUND' });
    await assert.rejects(r.resolve4('cache.backend'), { code: 'ENOTFOUND' });
  });
  await t.test('other names go to the upstream', async () => {
    assert.deepEqual(await r.resolve4('far.example.test'), ['192.0.2.55']);
  });
  await t.test('big answers are truncated on UDP and complete over TCP', async () => {
    const many = Array.from({ length: 60 }, (_, i) => `10.2.0.${i + 2}`);
    dns.set('big', many);
    assert.equal((await r.resolve4('big')).length, 60); // c-ares retried over TCP after TC
    const sock = connect({ host: '127.0.0.1', port: dns.port });
    t.after(() => sock.destroy());
    await once(sock, 'connect');
    const q = dnsPacket.streamEncode({ type: 'query', id: 7, questions: [{ type: 'A', name: 'web', class: 'IN' }] });
    sock.write(q);
    const [data] = (await once(sock, 'data')) as [Buffer];
    const res = dnsPacket.streamDecode(data);
    assert.equal(res.id, 7);
    assert.equal(res.answers?.length, 2);
  });
  await t.test('deleted names are gone', async () => {
    dns.delete('web');
    await assert.rejects(r.resolve4('web'), { code: 'ENOTFOUND' });
  });
});

test('SERVFAIL when no upstream answers', async (t) => {
  const dead = await started({ address: '127.0.0.1', port: 0, upstreams: [] });
  const deadPort = dead.port;
  await dead.close();
  const dns = await started({ address: '127.0.0.1', port: 0, upstreams: [`127.0.0.1:${deadPort}`] });
  t.after(() => dns.close());
  await assert.rejects(resolverFor(dns).resolve4('x.example.org'), { code: 'ESERVFAIL' });
});

test('port already taken: a clear error naming address and port', async (t) => {
  const a = await started({ address: '127.0.0.1', port: 0, upstreams: [] });
  t.after(() => a.close());
  await assert.rejects(
    started({ address: '127.0.0.1', port: a.port, upstreams: [] }),
    new RegExp(`dns: cannot listen on 127.0.0.1:${a.port}`),
  );
});

test('an internal network’s responder answers local names and refuses the rest', async (t) => {
  const dns = await started({ address: '127.0.0.1', port: 0, upstreams: ['127.0.0.1:9'], forward: false });
  t.after(() => dns.close());
  dns.set('db', ['10.3.0.2']);
  const r = resolverFor(dns);
  assert.deepEqual(await r.resolve4('db'), ['10.3.0.2']);
  await assert.rejects(r.resolve4('example.org'), { code: 'EREFUSED' });
});

test('with clients set, only sources inside that subnet are answered (UDP and TCP)', async (t) => {
  const member = await started({ address: '127.0.0.1', port: 0, upstreams: [], clients: '127.0.0.0/8' });
  t.after(() => member.close());
  member.set('web', ['10.1.0.2']);
  assert.deepEqual(await resolverFor(member).resolve4('web'), ['10.1.0.2']);
  const other = await started({ address: '127.0.0.1', port: 0, upstreams: [], clients: '10.9.0.0/16' });
  t.after(() => other.close());
  other.set('web', ['10.1.0.2']);
  await assert.rejects(resolverFor(other).resolve4('web'), { code: 'ETIMEOUT' }, 'no answer over UDP');
  const sock = connect({ host: '127.0.0.1', port: other.port });
  sock.on('error', () => undefined);
  sock.write(dnsPacket.streamEncode({ type: 'query', id: 9, questions: [{ type: 'A', name: 'web', class: 'IN' }] }));
  const got: Buffer[] = [];
  sock.on('data', (d: Buffer) => got.push(d));
  await once(sock, 'close');
  assert.equal(Buffer.concat(got).length, 0, 'the TCP connection is closed unanswered');
  assert.equal(other.accepts('10.9.3.4'), true);
  assert.equal(other.accepts('10.10.0.1'), false);
  assert.equal(other.accepts('::1'), false);
});

test("a client's own upstreams (compose dns:) replace the server's for that client only", async (t) => {
  const upstream = await started({ address: '127.0.0.1', port: 0, upstreams: [], localSuffixes: ['test'] });
  t.after(() => upstream.close());
  upstream.set('far.example.test', ['192.0.2.66']);
  const dns = await started({ address: '127.0.0.1', port: 0, upstreams: [] });
  t.after(() => dns.close());
  dns.set('db', ['10.4.0.2']);
  const r = resolverFor(dns);
  await assert.rejects(r.resolve4('far.example.test'), { code: 'ESERVFAIL' });
  dns.setClientUpstreams(new Map([['127.0.0.1', [`127.0.0.1:${upstream.port}`]]]));
  assert.deepEqual(await r.resolve4('far.example.test'), ['192.0.2.66']);
  assert.deepEqual(await r.resolve4('db'), ['10.4.0.2'], 'service names still answered by the responder');
  dns.setClientUpstreams(new Map([['127.0.0.9', [`127.0.0.1:${upstream.port}`]]]));
  await assert.rejects(r.resolve4('far.example.test'), { code: 'ESERVFAIL' });
});

test('a link alias answers for the linking client only', async (t) => {
  const dns = await started({ address: '127.0.0.1', port: 0, upstreams: [] });
  t.after(() => dns.close());
  dns.set('db', ['10.4.0.2']);
  const r = resolverFor(dns);
  await assert.rejects(r.resolve4('legacy'), { code: 'ENOTFOUND' });
  dns.setClientLinks(new Map([['127.0.0.1', new Map([['Legacy', 'db']])]]));
  assert.deepEqual(await r.resolve4('legacy'), ['10.4.0.2']);
  dns.setClientLinks(new Map([['127.0.0.9', new Map([['legacy', 'db']])]]));
  await assert.rejects(r.resolve4('legacy'), { code: 'ENOTFOUND' });
});
