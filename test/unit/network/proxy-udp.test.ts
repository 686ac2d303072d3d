// The UDP proxy's bounds on loopback (no root): at most maxSessions client sockets, the least
// recently used one evicted first, idle sessions closed, and a live client keeps its session.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { listenUdp, UDP_IDLE_MS, UDP_MAX_SESSIONS } from '../../../src/network/proxy-udp.ts';

/** A backend that answers "<proxy-side port of the sender>" to every datagram. */
async function peerPortEcho(): Promise<Socket> {
  const s = createSocket('udp4');
  s.on('message', (_m, r) => s.send(String(r.port), r.port, r.address));
  s.bind({ address: '127.0.0.1', port: 0 });
  await once(s, 'listening');
  return s;
}

async function client(): Promise<Socket> {
  const c = createSocket('udp4');
  c.bind({ address: '127.0.0.1', port: 0 });
  await once(c, 'listening');
  return c;
}

/** Sends through the proxy; resolves with the proxy socket's port the backend saw. */
async function ask(c: Socket, port: number): Promise<string> {
  c.send('x', port, '127.0.0.1');
  const [reply] = (await once(c, 'message')) as [Buffer];
  return reply.toString();
}

test('Docker-like defaults: 90 s idle timeout, 1024 client sockets', () => {
  assert.equal(UDP_IDLE_MS, 90_000);
  assert.equal(UDP_MAX_SESSIONS, 1024);
});

test('client sockets are capped, the least recently used is evicted, idle ones close', async (t) => {
  const backend = await peerPortEcho();
  t.after(() => backend.close());
  const proxy = await listenUdp('127.0.0.1', 0, '127.0.0.1', backend.address().port, { maxSessions: 3, idleMs: 1_500 });
  t.after(() => proxy.close());
  const port = proxy.socket.address().port;
  const cs = await Promise.all([client(), client(), client(), client()]);
  t.after(() => cs.forEach((c) => c.close()));
  const first = [];
  for (const c of cs.slice(0, 3)) first.push(await ask(c, port));
  assert.equal(proxy.sessions(), 3);
  assert.equal(await ask(cs[0]!, port), first[0], 'a live client keeps its session');
  await ask(cs[3]!, port);
  assert.equal(proxy.sessions(), 3, 'a fourth client evicted one');
  assert.equal(await ask(cs[0]!, port), first[0], 'the recently used one stays');
  assert.equal(await ask(cs[2]!, port), first[2]);
  assert.notEqual(await ask(cs[1]!, port), first[1], 'the least recently used one was evicted');
  assert.equal(proxy.sessions(), 3);
  // idleMs is long enough that a loaded machine's slow asks above do not expire a session meanwhile (400 ms
  // did, at load 20+); the close is waited for, not slept for.
  const idleFrom = Date.now();
  while (proxy.sessions() > 0 && Date.now() - idleFrom < 10_000) await new Promise((r) => setTimeout(r, 50));
  assert.equal(proxy.sessions(), 0, 'idle sessions are closed');
  assert.ok(Date.now() - idleFrom >= 1_400, `closed after ${Date.now() - idleFrom} ms idle (idleMs 1,500)`);
});
