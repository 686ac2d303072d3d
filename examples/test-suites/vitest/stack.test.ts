// The same example suite with vitest: `await using` would end the stack with the block; a suite
// shares it through beforeAll/afterAll. Run: npx vitest run
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { compose, wait, type Environment } from 'gantry';

let env: Environment;
beforeAll(async () => {
  env = await compose({ files: [fileURLToPath(new URL('../compose.yaml', import.meta.url))] }).up({
    waitFor: {
      web: wait.forHttp('/health', { port: 80 }),
      worker: wait.forLogLine(/worker ready/),
    },
  });
});
afterAll(() => env?.down({ volumes: true }));

test('web answers on the host port it was given', async () => {
  const { port } = await env.service('web').port(80);
  expect(port).toBeGreaterThan(0);
  const res = await fetch(await env.service('web').url(80, '/health'));
  expect(await res.text()).toBe('ok\n');
});

test('a command in the worker reaches web by name; its output is captured', async () => {
  const r = await env.service('worker').exec(['wget', '-q', '-O', '-', 'http://web/health']);
  expect(r).toEqual({ exitCode: 0, stdout: 'ok\n', stderr: '' });
  expect(await env.service('worker').logs()).toContain('worker ready');
});
