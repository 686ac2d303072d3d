// The TCP proxy's bound on loopback (no root): connections beyond the cap are closed at once,
// and a slot freed by a closing client serves the next one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { listenTcp, TCP_MAX_CONNECTIONS } from '../../../src/network/proxy-tcp.ts';

const portOf = (s: Server): number => (s.address() as { port: number }).port;

/** Connects and waits for the backend's greeting; "" when the proxy closed the connection first. */
async function greet(port: number): Promise<{ sock: Socket; text: string }> {
  const sock = connect({ host: '127.0.0.1', port });
  sock.on('error', () => undefined);
  const text = await new Promise<string>((resolve) => {
    sock.once('data', (d: Buffer) => resolve(d.toString()));
    sock.once('close', () => resolve(''));
  });
  return { sock, text };
}

test('connections beyond the cap are refused; a freed slot is reused', async (t) => {
  assert.equal(TCP_MAX_CONNECTIONS, 4096);
  const backend = createServer((c) => c.write('hi'));
  backend.listen({ host: '127.0.0.1', port: 0 });
  await once(backend, 'listening');
  t.after(() => backend.close());
  const proxy = await listenTcp('127.0.0.1', 0, '127.0.0.1', portOf(backend), 2);
  t.after(() => proxy.close());
  const port = portOf(proxy);
  const a = await greet(port);
  const b = await greet(port);
  assert.deepEqual([a.text, b.text], ['hi', 'hi']);
  const c = await greet(port);
  assert.equal(c.text, '', 'the third connection is closed');
  a.sock.destroy();
  // the proxy learns of the close asynchronously: ask until the slot is free (bounded, load-proof)
  let d = await greet(port);
  for (const until = Date.now() + 10_000; d.text === '' && Date.now() < until; d = await greet(port))
    await new Promise((r) => setTimeout(r, 20));
  assert.equal(d.text, 'hi', 'a freed slot serves the next client');
  for (const s of [b.sock, d.sock]) s.destroy();
});
