// A host port range for one container port ("20110-20113:80") gives each replica one free port of
// the range, as Docker does, and each port reaches its own replica; a replica beyond the range
// fails with one line naming the range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { IMG, psAll, sleep, uniq } from './lifecycle-helpers.ts';

async function answer(port: number): Promise<string> {
  for (let i = 0; ; i++) {
    try {
      return (await (await fetch(`http://127.0.0.1:${port}/`)).text()).trim();
    } catch (e) {
      if (i > 50) throw e;
      await sleep(100);
    }
  }
}

test('a host port range gives one port of the range per replica', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = uniq('pr');
  const base = 20110 + (process.pid % 200) * 8; // one block per test process, clear of other runs
  const range = `${base}-${base + 3}`;
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  web:
    image: ${IMG}
    command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www"]
    ports: ["${range}:80"]
`,
  });
  const up = await e.gantry(['up', '-d', '--scale', 'web=3'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  const rows = (await psAll(e, dir)).sort((a, b) => a.Name.localeCompare(b.Name));
  const ports = rows.map((r) => r.Publishers.map((p) => [p.PublishedPort, p.TargetPort]));
  assert.deepEqual(ports, [[[base, 80]], [[base + 1, 80]], [[base + 2, 80]]], JSON.stringify(rows));
  // Each port reaches a different replica (each answers with its own hostname).
  const hosts = [await answer(base), await answer(base + 1), await answer(base + 2)];
  assert.equal(new Set(hosts).size, 3, hosts.join(' '));

  const five = await e.gantry(['up', '-d', '--scale', 'web=5'], { cwd: dir });
  assert.notEqual(five.exitCode, 0, 'a fifth replica has no port left in a range of four');
  assert.match(five.stderr, new RegExp(`no free host port left in ${range}/tcp`));
});
