// The Node API's pure parts: listening ports read from /proc/net tables, journal actions as event
// kinds, the logs object as text and as an iterable that waits for its consumer, and the wait
// strategies' probes and errors against a stand-in service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listeningIn } from '../../../src/engine/api/listening-ports.ts';
import { journalKind } from '../../../src/engine/api/events.ts';
import { Logs, type ReadLogs } from '../../../src/engine/api/log-reader.ts';
import { wait, waitUntil, type WaitTarget } from '../../../src/engine/api/wait-strategies.ts';
import type { LogLine } from '../../../src/engine/api/types.ts';

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0
   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1 0 100 0 0 10 0
   3: 0B00007F:0035 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4 1 0 100 0 0 10 0
   2: 0100007F:0051 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0 20 4 30 10 -1
`;

test('listening ports: LISTEN rows only, v4 and v6 addresses, not the embedded DNS relay', () => {
  assert.deepEqual([...listeningIn(TCP)], [80, 8080]);
  const v6 = `  sl  local_address                         remote_address                        st\n   0: 00000000000000000000000000000000:1BB9 00000000000000000000000000000000:0000 0A\n`;
  assert.deepEqual([...listeningIn(v6)], [7097]);
  assert.deepEqual([...listeningIn('')], []);
});

test('journal actions map to event kinds (Docker words), others to none', () => {
  assert.equal(journalKind('start'), 'container-started');
  assert.equal(journalKind('die'), 'container-exited');
  assert.equal(journalKind('health_status: healthy'), 'container-healthy');
  assert.equal(journalKind('health_status: unhealthy'), 'container-unhealthy');
  assert.equal(journalKind('create'), undefined);
});

const line = (text: string): LogLine => ({ service: 's', container: 'c', stream: 'stdout', text, time: new Date(0) });

test('logs: awaited, the text so far; iterated, lines one at a time, the reader held back meanwhile', async () => {
  const gave: string[] = [];
  const read: ReadLogs = async (o, onLine) => {
    assert.equal(o.follow, false); // follow only when asked
    for (const t of ['a', 'b', 'c']) {
      gave.push(t);
      await onLine(line(t));
    }
  };
  assert.equal(await new Logs(read, {}), 'a\nb\nc\n');
  gave.length = 0;
  const it = new Logs(read, {})[Symbol.asyncIterator]();
  assert.equal((await it.next()).value?.text, 'a');
  assert.deepEqual(gave, ['a'], 'the reader waits until the consumer asks again');
  assert.equal((await it.next()).value?.text, 'b');
  await it.return(undefined);
  assert.deepEqual(gave, ['a', 'b', 'c'], 'a stopped iteration lets the reader run out, not hang');
});

test('logs: a reader that fails fails the iteration; since and tail reach the reader', async () => {
  const seen: unknown[] = [];
  const read: ReadLogs = async (o) => {
    seen.push(o.since, o.tail);
    throw new Error('no such project');
  };
  await assert.rejects(async () => {
    for await (const _ of new Logs(read, { since: new Date(5), tail: 2 })) assert.fail('no line');
  }, /no such project/);
  assert.deepEqual(seen, [5, 2]);
});

function target(o: Partial<WaitTarget> = {}): WaitTarget {
  return {
    service: 'web',
    logLines: async () => [],
    port: async () => ({ host: '127.0.0.1', port: 1 }),
    exec: async () => ({ exitCode: 1, stdout: '', stderr: '' }),
    listeningPorts: async () => new Set(),
    status: async () => ({ running: true }),
    ...o,
  };
}

test('forLogLine counts matching lines (a g flag does not skip any); a string matches literally', async () => {
  const t = target({ logLines: async () => ['ready', 'x', 'ready'].map(line) });
  assert.equal((await wait.forLogLine(/ready/g, { count: 2 }).probe(t)).ok, true);
  assert.equal((await wait.forLogLine(/ready/, { count: 3 }).probe(t)).ok, false);
  assert.equal((await wait.forLogLine('re.dy').probe(t)).ok, false);
  assert.equal((await wait.forLogLine('ready').probe(t)).seen, '2 matching line(s); last lines: ready | x | ready');
});

test('waitUntil: times out with the last thing seen; a stopped container fails at once', async () => {
  let calls = 0;
  const t = target({
    exec: async () => ({ exitCode: 2, stdout: `try ${++calls}\n`, stderr: '' }),
  });
  await assert.rejects(
    waitUntil(t, wait.forCommand(['check'], { timeoutMs: 250 })),
    /^RuntimeError: service web: waiting for command \["check"\] exiting 0: timed out after 250 ms; last seen: exit 2: try \d+$/,
  );
  assert.ok(calls >= 2, `polled ${calls} times`);
  const stopped = target({ status: async () => ({ running: false, exitCode: 3 }) });
  const t0 = Date.now();
  await assert.rejects(
    waitUntil(stopped, wait.forListeningPort(80)),
    /the container is not running \(exit code 3\); last seen: listening: nothing$/,
  );
  assert.ok(Date.now() - t0 < 1_000);
  await waitUntil(target({ listeningPorts: async () => new Set([80]) }), wait.forListeningPort(80));
});
