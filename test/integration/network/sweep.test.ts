// The host-wide sweep: bridges (with veths and firewall rules) and namespaces of a deleted state
// root go once no process of that root runs; a live root's, and unowned (older gantry) bridges,
// are never touched, whatever gc runs beside them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNetworkManager, createNetns, deleteNetns } from '../../../src/network/index.ts';
import { NETNS_OWNERS } from '../../../src/network/owners.ts';
import { chainNames } from '../../../src/network/names.ts';
import { isRoot, cleanupStack, sh } from '../../helpers/netns.ts';
import { runGantry } from '../../helpers/cli.ts';

const linkExists = (name: string): boolean => existsSync(`/sys/class/net/${name}`);
const hasChains = async (bridge: string): Promise<boolean> =>
  (await sh('iptables-save', [])).includes(chainNames(bridge).forward);

test(
  'sweep removes a deleted root’s bridges, veths, rules and netns once its processes are gone, and nothing else',
  { skip: !isRoot() && 'needs root' },
  async (t) => {
    const defer = cleanupStack(t);
    const made = async (tag: string) => {
      const root = await mkdtemp(join(tmpdir(), `gantry-sweep-${tag}-${process.pid}-`));
      defer(() => rm(root, { recursive: true, force: true }));
      const m = createNetworkManager({ root });
      const id = `sw${process.pid}_${tag}`;
      const net = await m.ensureNetwork({ id, internal: false });
      const ns = `gantry-sw${process.pid}${tag}`;
      defer(() => deleteNetns(ns)); // only if the test stopped early
      const path = await createNetns(ns, undefined, root);
      const ep = await m.attach(path, id, { ifname: 'eth0', defaultRoute: true, owner: `${tag}-1` });
      return { root, m, id, net, ns, path, ep };
    };
    const gone = await made('gone');
    const live = await made('live');
    defer(async () => {
      await live.m.detach(live.path, live.id);
      await live.m.removeNetwork(live.id);
      await deleteNetns(live.ns);
    });
    // A bridge without an owner alias, as older versions made them: never provably dead.
    const legacy = `gt-lg${process.pid.toString(16)}`.slice(0, 15);
    await sh('ip', ['link', 'add', 'name', legacy, 'type', 'bridge']);
    defer(() => (linkExists(legacy) ? sh('ip', ['link', 'del', legacy]) : undefined));
    assert.equal(await hasChains(gone.net.bridge), true);
    assert.equal(existsSync(join(NETNS_OWNERS, gone.ns)), true, 'the namespace records its owner');

    // The root is deleted while a process of it still runs (a supervisor, say): nothing is swept.
    const holder = spawn('sleep', ['60'], { env: { GANTRY_ROOT: gone.root }, stdio: 'ignore' });
    defer(() => holder.exitCode === null && holder.kill('SIGKILL'));
    await rm(gone.root, { recursive: true, force: true });
    const report = await live.m.gc();
    assert.deepEqual(report.swept, { bridges: [], netns: [] });
    assert.equal(linkExists(gone.net.bridge), true);

    const exited = new Promise((r) => holder.once('exit', r));
    holder.kill('SIGKILL');
    await exited;
    // Any root's `network prune` sweeps (the CLI on a fresh root here).
    const fresh = await mkdtemp(join(tmpdir(), `gantry-sweep-cli-${process.pid}-`));
    defer(() => rm(fresh, { recursive: true, force: true }));
    const pruned = await runGantry(['network', 'prune'], {
      env: { PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin', GANTRY_ROOT: fresh },
    });
    assert.equal(pruned.exitCode, 0, pruned.stderr);
    assert.equal(pruned.stderr, '', 'a veth gone with its namespace is no warning');
    assert.equal(
      pruned.stdout,
      `${gone.net.bridge} (bridge of a deleted state root)\n${gone.ns} (netns of a deleted state root)\n`,
    );
    assert.equal(linkExists(gone.net.bridge), false);
    assert.equal(linkExists(gone.ep.hostVeth), false);
    assert.equal(await hasChains(gone.net.bridge), false);
    assert.equal(existsSync(gone.path), false);
    assert.equal(existsSync(join(NETNS_OWNERS, gone.ns)), false);
    // The live root's network, endpoint, rules and namespace, and the legacy bridge, are intact.
    for (const l of [live.net.bridge, live.ep.hostVeth, legacy]) assert.equal(linkExists(l), true, l);
    assert.equal(await hasChains(live.net.bridge), true);
    assert.equal(existsSync(live.path), true);
    assert.equal((await live.m.list()).find((n) => n.id === live.id)?.endpoints.length, 1);
  },
);
