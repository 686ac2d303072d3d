// An example suite with node:test: the stack comes up once for the file, waited for by HTTP and by
// log line, and goes down (volumes too) after it. Run: node --test node-test/
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { compose, wait } from 'gantry';

let env;
before(async () => {
  env = await compose({ files: [fileURLToPath(new URL('../compose.yaml', import.meta.url))] }).up({
    waitFor: {
      web: wait.forHttp('/health', { port: 80 }),
      worker: wait.forLogLine(/worker ready/),
    },
  });
});
after(() => env?.down({ volumes: true }));

test('web answers on the host port it was given', async () => {
  const { host, port } = await env.service('web').port(80);
  assert.equal(host, '127.0.0.1');
  assert.ok(port > 0);
  const res = await fetch(await env.service('web').url(80, '/health'));
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'ok\n');
});

test('a command in the worker reaches web by name; its output is captured', async () => {
  const r = await env.service('worker').exec(['wget', '-q', '-O', '-', 'http://web/health']);
  assert.deepEqual(r, { exitCode: 0, stdout: 'ok\n', stderr: '' });
});
