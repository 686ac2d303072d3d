// A dependency whose healthcheck hangs past its timeout becomes unhealthy after `retries`
// timed-out probes: `up` fails naming both services and the timeout; its containers stay stopped
// until `down`, which leaves nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eRoot, stillThere, tracesOf, type HostTraces } from '../helpers/engine-e2e.ts';

const IMG = 'gantry-test/busybox:latest';
const uniq = (tag: string) => `e2e${process.pid}${tag}`;

/** Everything seen on the host in any of the snapshots (what `up` made while it ran). */
function union(a: HostTraces, b: HostTraces): HostTraces {
  const u = <T>(x: readonly T[], y: readonly T[]): T[] => [...new Set([...x, ...y])];
  return {
    containers: u(a.containers, b.containers),
    netns: u(a.netns, b.netns),
    links: u(a.links, b.links),
    mounts: u(a.mounts, b.mounts),
    cgroups: u(a.cgroups, b.cgroups),
    pids: u(a.pids, b.pids),
  };
}

test('a hanging healthcheck times out: up fails naming the dependent and the dependency, down leaves nothing', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = uniq('hto');
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  slow:
    image: ${IMG}
    init: true
    command: ["sleep", "600"]
    healthcheck: {test: ["CMD", "sleep", "10"], interval: 100ms, timeout: 300ms, retries: 2}
  app:
    image: ${IMG}
    init: true
    command: ["sleep", "600"]
    depends_on: {slow: {condition: service_healthy}}
`,
  });
  const began = Date.now();
  let pending = true;
  const running = e.gantry(['up', '-d'], { cwd: dir }).finally(() => (pending = false));
  // Snapshot the host while `up` runs (slow is up for ~0.8 s before it is declared unhealthy).
  let seen: HostTraces = { containers: [], netns: [], links: [], mounts: [], cgroups: [], pids: [] };
  while (pending) {
    seen = union(seen, tracesOf(e.root, name));
    await new Promise((r) => setTimeout(r, 50));
  }
  const up = await running;
  const took = Date.now() - began;
  assert.equal(up.exitCode, 1, up.stderr);
  assert.match(
    up.stderr,
    new RegExp(
      `service app: start ${name}-app-1: dependency slow is unhealthy \\(Health check exceeded timeout \\(300 ms\\)\\)`,
    ),
  );
  // Two probes cut at 300 ms, not two 10 s sleeps waited out (20 s and more): the bound leaves a
  // loaded machine room for the start of both services, yet fails if a probe's timeout is not applied.
  assert.ok(took < 15_000, `up took ${took} ms`);
  // `up` kept what it made, stopped (for `logs`); after `down` nothing is left on the host.
  assert.equal((await e.gantry(['ps', '-q'], { cwd: dir })).stdout, '', 'nothing runs');
  assert.equal((await e.gantry(['ps', '-a', '-q'], { cwd: dir })).stdout, `${name}-app-1\n${name}-slow-1\n`);
  assert.equal((await e.gantry(['down', '-t', '1'], { cwd: dir })).exitCode, 0);
  assert.ok(
    seen.containers.includes(`${name}-slow-1`) &&
      seen.links.length > 0 &&
      seen.cgroups.length > 0 &&
      seen.pids.length > 0,
    JSON.stringify(seen),
  );
  assert.deepEqual(stillThere(seen, e.root), []);
  assert.deepEqual(tracesOf(e.root, name).links, []);
});
