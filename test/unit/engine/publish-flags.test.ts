// `container run -p/-P` values read as docker run reads them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePublish, publishedPorts } from '../../../src/engine/translate/publish-flags.ts';

const p = (hostIp: string, hostPort: number, containerPort: number, protocol: 'tcp' | 'udp' = 'tcp') => ({
  hostIp,
  hostPort,
  containerPort,
  protocol,
});

test('-p: container port alone, host:container, ip:host:container, ip::container, protocols', () => {
  assert.deepEqual(parsePublish('80'), [p('', 0, 80)]);
  assert.deepEqual(parsePublish('49160:8080'), [p('', 49160, 8080)]);
  assert.deepEqual(parsePublish('127.0.0.1:49160:8080'), [p('127.0.0.1', 49160, 8080)]);
  assert.deepEqual(parsePublish('127.0.0.1::8080/udp'), [p('127.0.0.1', 0, 8080, 'udp')]);
  assert.deepEqual(parsePublish('[::1]:8000:80/TCP'), [p('::1', 8000, 80)]);
});

test('-p: ranges pair one to one; a bad value is one usage line', () => {
  assert.deepEqual(parsePublish('8000-8001:80-81'), [p('', 8000, 80), p('', 8001, 81)]);
  assert.deepEqual(parsePublish('90-91'), [p('', 0, 90), p('', 0, 91)]);
  assert.throws(() => parsePublish('8000-8002:80-81'), /differ in length/);
  assert.throws(() => parsePublish('80/sctp'), /tcp or udp/);
  assert.throws(() => parsePublish('70000'), /invalid port/);
  assert.throws(() => parsePublish('host:80:80'), /not an IP address/);
  assert.throws(() => parsePublish('1:2:3:4'), /invalid value/);
});

test('-P publishes EXPOSEd tcp and udp ports on free host ports; -p wins for the same port', () => {
  assert.deepEqual(publishedPorts([], true, ['8080/tcp', '53/udp', '9/sctp']), [p('', 0, 8080), p('', 0, 53, 'udp')]);
  assert.deepEqual(publishedPorts(['9000:8080'], true, ['8080/tcp', '81/tcp']), [p('', 9000, 8080), p('', 0, 81)]);
  assert.deepEqual(publishedPorts([], false, ['8080/tcp']), []);
});
