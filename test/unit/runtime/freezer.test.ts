// The freezer of both cgroup versions against temp dirs shaped like the kernel's files: v2
// writes cgroup.freeze and waits for cgroup.events to say so; v1 writes freezer.state; hybrid
// hosts without the v1 freezer fall back to the unified group's cgroup.freeze.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cgroupDriver } from '../../../src/runtime/cgroups/index.ts';
import { nodeHost } from '../../../src/runtime/host.ts';

/** Polls until the file holds `want`: the driver writes asynchronously, and a loaded CI machine is slow. */
async function fileSays(path: string, want: string): Promise<string> {
  for (let i = 0; i < 250 && readFileSync(path, 'utf8') !== want; i++) await new Promise((r) => setTimeout(r, 20));
  return readFileSync(path, 'utf8');
}

function tempMount(t: { after: (fn: () => void) => void }, tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `gantry-frz-${tag}-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('v2: freeze writes 1 and returns only once cgroup.events says frozen; thaw the reverse', async (t) => {
  const mount = tempMount(t, 'v2');
  const dir = join(mount, 'gantry', 'c1');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cgroup.freeze'), '0\n');
  writeFileSync(join(dir, 'cgroup.events'), 'populated 1\nfrozen 0\n');
  const cg = cgroupDriver(nodeHost(), { layout: 'v2', v1: {}, v2: mount }).forContainer('c1');
  let done = false;
  const freezing = cg.freeze().then(() => (done = true));
  assert.equal(await fileSays(join(dir, 'cgroup.freeze'), '1'), '1');
  assert.equal(done, false, 'still waiting for the kernel to report frozen');
  writeFileSync(join(dir, 'cgroup.events'), 'populated 1\nfrozen 1\n'); // what the kernel does once every task stopped
  await freezing;
  assert.equal(done, true);
  const thawing = cg.thaw();
  assert.equal(await fileSays(join(dir, 'cgroup.freeze'), '0'), '0');
  writeFileSync(join(dir, 'cgroup.events'), 'populated 1\nfrozen 0\n');
  await thawing;
});

test('v1: freezer.state FROZEN / THAWED; hybrid without a v1 freezer uses the unified cgroup.freeze', async (t) => {
  const mount = tempMount(t, 'v1');
  const freezer = join(mount, 'freezer');
  mkdirSync(join(freezer, 'gantry', 'c1'), { recursive: true });
  const state = join(freezer, 'gantry', 'c1', 'freezer.state');
  writeFileSync(state, 'THAWED\n');
  const v1 = cgroupDriver(nodeHost(), { layout: 'v1', v1: { freezer }, v2: undefined }).forContainer('c1');
  await v1.freeze();
  assert.equal(readFileSync(state, 'utf8'), 'FROZEN');
  await v1.thaw();
  assert.equal(readFileSync(state, 'utf8'), 'THAWED');

  const unified = join(mount, 'unified');
  const udir = join(unified, 'gantry', 'c2');
  mkdirSync(udir, { recursive: true });
  writeFileSync(join(udir, 'cgroup.freeze'), '0');
  writeFileSync(join(udir, 'cgroup.events'), 'frozen 1\n');
  const hybrid = cgroupDriver(nodeHost(), {
    layout: 'hybrid',
    v1: { memory: join(mount, 'memory') },
    v2: unified,
  }).forContainer('c2');
  await hybrid.freeze();
  assert.equal(readFileSync(join(udir, 'cgroup.freeze'), 'utf8'), '1');

  const none = cgroupDriver(nodeHost(), {
    layout: 'v1',
    v1: { memory: join(mount, 'memory') },
    v2: undefined,
  }).forContainer('c3');
  await assert.rejects(none.freeze(), /no cgroup freezer/);
});
