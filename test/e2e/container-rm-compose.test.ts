// `gantry container rm -f` of a compose service's container removes it the way compose removal
// does: its endpoint leaves the project's network, so `down` afterwards removes the network instead
// of failing "still in use by" a container that no longer exists. And an endpoint already left
// behind (a container deleted without its detach, as `container rm` did before) holds no network.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot, stillThere, tracesOf } from '../helpers/engine-e2e.ts';
import { IMG, psAll, uniq } from './lifecycle-helpers.ts';
import { createRuntime } from '../../src/runtime/index.ts';

const e = await e2eRoot((fn) => after(fn));

const stack = (name: string): string =>
  `name: ${name}\nservices:\n  a: {image: ${IMG}, command: [sleep, "1000"], restart: always}\n` +
  `  b: {image: ${IMG}, command: [sleep, "1000"]}\n`;

const owners = (name: string): string[] =>
  (
    JSON.parse(readFileSync(join(e.root, 'networks', `${name}_default.json`), 'utf8')) as {
      endpoints: { owner: string }[];
    }
  ).endpoints.map((x) => x.owner);

/** The stack up, and what it put on the host. */
async function started(name: string): Promise<{ dir: string; traces: ReturnType<typeof tracesOf> }> {
  const dir = e.project(name, { 'compose.yaml': stack(name) });
  const up = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  return { dir, traces: tracesOf(e.root, name) };
}

test('container rm -f of a service container detaches it; down then removes everything', async () => {
  const name = uniq('crm');
  const { dir, traces } = await started(name);
  assert.deepEqual(owners(name).sort(), [`${name}-a-1`, `${name}-b-1`]);

  const rm = await e.gantry(['container', 'rm', '-f', `${name}-a-1`]);
  assert.equal(rm.exitCode, 0, rm.stderr);
  assert.deepEqual(owners(name), [`${name}-b-1`], 'its endpoint left the network with it');
  await new Promise((r) => setTimeout(r, 1500)); // restart: always must not bring it back
  assert.deepEqual(
    (await psAll(e, dir)).map((r) => r.Name),
    [`${name}-b-1`],
  );

  const down = await e.gantry(['down', '-t', '1'], { cwd: dir });
  assert.equal(down.exitCode, 0, down.stderr);
  assert.doesNotMatch(down.stderr, /still in use/);
  assert.deepEqual(stillThere(traces, e.root), []);
});

test('an endpoint whose container was deleted without its detach does not hold down', async () => {
  const name = uniq('stale');
  const { dir, traces } = await started(name);
  // What `container rm -f` did before: the runtime's container only, endpoint and namespace kept.
  await createRuntime({ root: e.root }).delete(`${name}-a-1`, { force: true });
  assert.ok(owners(name).includes(`${name}-a-1`));

  const down = await e.gantry(['down', '-t', '1'], { cwd: dir });
  assert.equal(down.exitCode, 0, down.stderr);
  assert.doesNotMatch(down.stderr, /still in use/);
  assert.deepEqual(stillThere(traces, e.root), [], 'no bridge, veth or namespace of the gone container left');
});
