// Mounts and shared namespaces through `up`: a missing bind source is created, tmpfs has its
// size, volumes_from shares another service's mounts, network_mode service: its namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';

const IMG = 'gantry-test/busybox:latest';

async function logOf(root: string, container: string, want: RegExp): Promise<string> {
  const file = join(root, 'containers', container, 'container.log');
  const deadline = Date.now() + 60_000;
  let text = '';
  while (Date.now() < deadline) {
    text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (want.test(text)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return text;
}

test('bind source created, tmpfs, volumes_from and network_mode service:', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}mnt`;
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  owner:
    image: ${IMG}
    init: true
    command: ["sh", "-c", "echo shared > /bound/file; df -k /scratch | tail -1; ip -4 -o addr show eth0; exec sleep 600"]
    volumes: ["./made-by-up:/bound"]
    tmpfs: ["/scratch:size=2097152"]
  guest:
    image: ${IMG}
    init: true
    depends_on: [owner]
    network_mode: "service:owner"
    volumes_from: [owner]
    command: ["sh", "-c", "sleep 0.5; cat /bound/file; ip -4 -o addr show eth0; exec sleep 600"]
`,
  });
  const up = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  assert.ok(existsSync(join(dir, 'made-by-up')), 'the missing bind source was created as a directory');
  const owner = await logOf(e.root, `${name}-owner-1`, /inet /);
  assert.match(owner, /tmpfs\s+2048\s/);
  const guest = await logOf(e.root, `${name}-guest-1`, /inet /);
  assert.match(guest, /stdout F shared$/m);
  const addr = (s: string) => /inet (\d+\.\d+\.\d+\.\d+)/.exec(s)?.[1];
  assert.ok(addr(owner));
  assert.equal(addr(guest), addr(owner), 'the guest sees the owner network namespace');
  assert.equal(readFileSync(join(dir, 'made-by-up', 'file'), 'utf8'), 'shared\n');
});

test('volumes_from a service with a container_name finds its container by that name', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}vfn`;
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  owner:
    image: ${IMG}
    container_name: ${name}-store
    command: ["sh", "-c", "echo named > /bound/file; exec sleep 600"]
    volumes: ["./data:/bound"]
  guest:
    image: ${IMG}
    depends_on: [owner]
    volumes_from: ["owner:ro"]
    command: ["sh", "-c", "sleep 0.5; cat /bound/file; touch /bound/x || echo read-only; exec sleep 600"]
`,
  });
  const up = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  const guest = await logOf(e.root, `${name}-guest-1`, /read-only/);
  assert.match(guest, /stdout F named$/m);
  assert.match(guest, /read-only/, 'volumes_from :ro mounts the owner volumes read-only');
});
