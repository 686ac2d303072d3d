// `up` / `ps` / `down` through the built CLI on a temporary state root: depends_on ordering,
// nothing left on the host after `down`, volumes surviving `down` and gone after `down -v`,
// a failed dependency failing `up` (naming both services) and keeping its containers, stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { e2eRoot, stillThere, tracesOf } from '../helpers/engine-e2e.ts';

const IMG = 'gantry-test/busybox:latest';
const uniq = (tag: string) => `e2e${process.pid}${tag}`;

interface State {
  started?: string;
  spec: { labels: Record<string, string> };
}
const stateOf = (root: string, name: string): State =>
  JSON.parse(readFileSync(join(root, 'containers', name, 'state.json'), 'utf8')) as State;
/** The shim's status file ("exit=N signal=S finished=MS"): when the program ended. */
const finishedAt = (root: string, name: string): number =>
  Number(/finished=(\d+)/.exec(readFileSync(join(root, 'containers', name, 'status'), 'utf8'))![1]);

/** `up -d` returns once started, not once listening (no healthcheck without the supervisor): wait for the port. */
async function whenListening(address: string, port = 80): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const s = connect({ host: address, port }, () => (s.end(), r(true)));
      s.on('error', () => r(false));
    });
    if (ok || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function get(address: string): Promise<string> {
  await whenListening(address);
  return (await fetch(`http://${address}/`)).text();
}

function addressOf(root: string, project: string, container: string): string {
  const set = JSON.parse(readFileSync(join(root, 'projects', project, 'supervision.json'), 'utf8')) as {
    containers: { id: string; endpoints: { address: string }[] }[];
  };
  return set.containers.find((c) => c.id === container)!.endpoints[0]!.address;
}

test('up -d: a one-shot dependency completes before its dependent starts; down leaves nothing; volumes need -v', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = uniq('os');
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  prepare:
    image: ${IMG}
    command: ["sh", "-c", "sleep 0.3; echo prepared > /www/index.html"]
    volumes: [www:/www]
  app:
    image: ${IMG}
    init: true
    depends_on: {prepare: {condition: service_completed_successfully}}
    command: ["httpd", "-f", "-p", "80", "-h", "/www"]
    volumes: [www:/www:ro]
  side:
    image: ${IMG}
    init: true
    depends_on: [app]
    command: ["sleep", "600"]
volumes: {www: {}}
`,
  });
  const up = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  const prepared = finishedAt(e.root, `${name}-prepare-1`);
  assert.ok(Date.parse(stateOf(e.root, `${name}-app-1`).started!) >= prepared, 'app started after prepare exited');
  assert.ok(
    Date.parse(stateOf(e.root, `${name}-side-1`).started!) >= Date.parse(stateOf(e.root, `${name}-app-1`).started!),
    'side after app',
  );
  // The app serves what the one-shot job wrote into the shared named volume, on its own address.
  assert.equal(await get(addressOf(e.root, name, `${name}-app-1`)), 'prepared\n');
  const ps = JSON.parse((await e.gantry(['ps', '-a', '--format', 'json'], { cwd: dir })).stdout) as {
    Name: string;
    State: string;
    ExitCode: number;
  }[];
  assert.deepEqual(
    ps.map((p) => [p.Name, p.State, p.ExitCode]),
    [
      [`${name}-app-1`, 'running', 0],
      [`${name}-prepare-1`, 'exited', 0],
      [`${name}-side-1`, 'running', 0],
    ],
  );
  assert.equal((await e.gantry(['ps', '-q'], { cwd: dir })).stdout, `${name}-app-1\n${name}-side-1\n`);

  const traces = tracesOf(e.root, name);
  assert.equal(traces.netns.length, 3);
  assert.ok(traces.links.length >= 4 && traces.cgroups.length > 0 && traces.pids.length > 0, JSON.stringify(traces));
  const down = await e.gantry(['down'], { cwd: dir });
  assert.equal(down.exitCode, 0, down.stderr);
  assert.deepEqual(stillThere(traces, e.root), []);
  assert.equal((await e.gantry(['ps', '-a', '-q'], { cwd: dir })).stdout, '');
  // The named volume survived `down`: a new app serves the old content without re-preparing.
  const again = await e.gantry(['up', '-d', '--no-deps', 'app'], { cwd: dir });
  assert.equal(again.exitCode, 0, again.stderr);
  assert.equal(await get(addressOf(e.root, name, `${name}-app-1`)), 'prepared\n');
  const downV = await e.gantry(['down', '-v'], { cwd: dir });
  assert.match(downV.stderr, new RegExp(`Volume ${name}_www  Removed`));
  assert.equal(readFileSync('/proc/self/mountinfo', 'utf8').includes(e.root), false);
});

test('a dependency that fails fails up, naming both services; its containers stay, stopped, until down', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = uniq('fail');
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  job: {image: ${IMG}, command: ["sh", "-c", "exit 3"]}
  app:
    image: ${IMG}
    command: ["sleep", "600"]
    depends_on: {job: {condition: service_completed_successfully}}
`,
  });
  const up = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(up.exitCode, 1);
  assert.match(up.stderr, new RegExp(`service app: start ${name}-app-1: dependency job exited with code 3`));
  // Kept for `logs`, as Compose keeps them; `down` removes them and the network.
  assert.equal((await e.gantry(['ps', '-a', '-q'], { cwd: dir })).stdout, `${name}-app-1\n${name}-job-1\n`);
  assert.equal((await e.gantry(['ps', '-q'], { cwd: dir })).stdout, '', 'nothing runs');
  assert.equal((await e.gantry(['down', '-t', '1'], { cwd: dir })).exitCode, 0);
  assert.equal((await e.gantry(['ps', '-a', '-q'], { cwd: dir })).stdout, '');
  assert.deepEqual(tracesOf(e.root, name).links, []);
});

test('--dry-run prints the plan and changes nothing', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = uniq('dry');
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}\nservices:\n  a: {image: ${IMG}, command: ["sleep", "600"]}\n`,
  });
  const r = await e.gantry(['up', '-d', '--dry-run'], { cwd: dir });
  assert.equal(
    r.stdout,
    `project ${name}: 3 operations
create-network   ${name}_default  (missing)
create-container ${name}-a-1  (missing)  after create-network:${name}_default
start            ${name}-a-1  (created)  after create-container:${name}-a-1
`,
  );
  assert.deepEqual(tracesOf(e.root, name).containers, []);
});

test('pull_policy never and build-only services fail up early and clearly; images lists what containers run', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = uniq('pp');
  const never = e.project(`${name}n`, {
    'compose.yaml': `name: ${name}n\nservices:\n  a: {image: example.invalid/none:1, pull_policy: never}\n`,
  });
  const r1 = await e.gantry(['up', '-d'], { cwd: never });
  assert.equal(r1.exitCode, 1);
  assert.match(r1.stderr, /service a: image example.invalid\/none:1 is not present and pull_policy is never/);
  const build = e.project(`${name}b`, { 'compose.yaml': `name: ${name}b\nservices:\n  a: {build: .}\n` });
  const r2 = await e.gantry(['up', '-d'], { cwd: build });
  assert.equal(r2.exitCode, 1);
  assert.match(r2.stderr, /service a: build: cannot read the Dockerfile \S+\/Dockerfile/);
  assert.deepEqual(tracesOf(e.root, `${name}n`).links, []);
  const ok = e.project(`${name}i`, {
    'compose.yaml': `name: ${name}i\nservices:\n  a: {image: ${IMG}, command: ["true"]}\n`,
  });
  assert.equal((await e.gantry(['up', '-d', '--no-start'], { cwd: ok })).exitCode, 0);
  assert.match(
    (await e.gantry(['images'], { cwd: ok })).stdout,
    new RegExp(`${name}i-a-1 +gantry-test/busybox +latest`),
  );
  assert.equal(
    (await e.gantry(['ps', '-a', '--format', 'json'], { cwd: ok })).stdout.includes('"State":"created"'),
    true,
  );
});
