// Attaches that share a lock turn configure their namespaces' inside ends (address, lo, default
// route) through one launcher process, not one `ip -n` spawn of the CLI each (issue 20: each spawn
// forks the whole heap); a failing batch is still reported to its own request only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNetworkManager, deleteNetns, netnsPath } from '../../../src/network/index.ts';
import { ipBatches, ipHostThenBatches } from '../../../src/network/ip-batches.ts';
import { isRoot, makeNetns, cleanupStack, tempRoot } from '../../helpers/netns.ts';
import { countingSpawns } from '../../helpers/count-spawns.ts';
import { DEFAULT_LOCK_FILE, withLock } from '../../../src/network/lock.ts';

/** The shim's netlink executor (native/netlink.h), the launcher of gantry's own lines. */
const asLauncher = (file: string, args: readonly string[]): string =>
  file.endsWith('/gantry-shim') && args[0] === 'netlink' ? 'netlink' : file;

test(
  'concurrent attaches configure every namespace without an `ip -n` spawn each',
  { skip: !isRoot() && 'needs root' },
  async (t) => {
    const defer = cleanupStack(t);
    const m = createNetworkManager({ root: await tempRoot(defer, 'attl') });
    const net = await m.ensureNetwork({ id: `attl${process.pid}_default`, internal: false });
    defer(() => m.removeNetwork(net.id).catch(() => undefined));
    const spaces = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => makeNetns(defer, `attl${i}`)));
    const { result: eps, spawns } = await countingSpawns(
      () =>
        Promise.all(
          spaces.map((ns, i) => m.attach(ns.path, net.id, { ifname: 'eth0', defaultRoute: true, owner: `c${i}` })),
        ),
      (file, args) => (file === 'ip' && args[0] === '-n' ? 'ip -n' : asLauncher(file, args)),
    );
    for (const [i, ns] of spaces.entries()) {
      const addr = execFileSync('ip', ['-n', ns.name, '-o', '-4', 'addr', 'show', 'dev', 'eth0'], { encoding: 'utf8' });
      assert.match(addr, new RegExp(` ${eps[i]!.address.replaceAll('.', '\\.')}/`), ns.name);
      const route = execFileSync('ip', ['-n', ns.name, 'route', 'show', 'default'], { encoding: 'utf8' });
      assert.match(route, /^default via \S+ dev eth0/, ns.name);
      assert.match(execFileSync('ip', ['-n', ns.name, 'link', 'show', 'lo'], { encoding: 'utf8' }), /[<,]UP[,>]/);
    }
    // The first attach may take the lock alone (its own `ip -n`); the ones queued behind it share one launcher.
    const perNs = spawns.filter((s) => s === 'ip -n').length;
    assert.ok(perNs <= 1, `ip -n spawned ${perNs} times for ${spaces.length} attaches: ${spawns.join(', ')}`);
    assert.ok(spawns.includes('netlink'), `no launcher: ${spawns.join(', ')}`);
  },
);

test('a failing batch is reported for its own namespace only', { skip: !isRoot() && 'needs root' }, async (t) => {
  const defer = cleanupStack(t);
  const spaces = await Promise.all([0, 1, 2].map((i) => makeNetns(defer, `ipbx${i}`)));
  const errors = await ipBatches(
    spaces.map((ns, i) => ({
      netns: ns.name,
      lines: i === 1 ? ['link set lo up', 'addr add 10.9.9.9/24 dev nosuchif0'] : ['link set lo up'],
    })),
  );
  assert.equal(errors[0], undefined);
  assert.equal(errors[2], undefined);
  assert.match(
    String(errors[1]),
    new RegExp(`ip -n ${spaces[1]!.name} -batch -.*failed: .*nosuchif0|Cannot find device`),
  );
  for (const ns of [spaces[0]!, spaces[2]!])
    assert.match(execFileSync('ip', ['-n', ns.name, 'link', 'show', 'lo'], { encoding: 'utf8' }), /[<,]UP[,>]/);
  // a batch's text is data: shell syntax in it reaches `ip` unexpanded (and fails there)
  const [odd] = await ipBatches([{ netns: spaces[0]!.name, lines: ['link set $(touch /tmp/gantry-ipbx-pwned) up'] }]);
  assert.ok(odd !== undefined);
  assert.equal(
    execFileSync('sh', ['-c', 'test -e /tmp/gantry-ipbx-pwned && echo yes || echo no'], { encoding: 'utf8' }).trim(),
    'no',
  );
});

test(
  'one attach makes its veth and configures its inside end in one spawn; leave takes veth and namespace in one',
  { skip: !isRoot() && 'needs root' },
  async (t) => {
    const defer = cleanupStack(t);
    const m = createNetworkManager({ root: await tempRoot(defer, 'att1') });
    const net = await m.ensureNetwork({ id: `att1${process.pid}_default`, internal: false });
    defer(() => m.removeNetwork(net.id).catch(() => undefined));
    const ns = await makeNetns(defer, 'att1');
    const { result: ep, spawns } = await countingSpawns(
      () => m.attach(ns.path, net.id, { ifname: 'eth0', defaultRoute: true, owner: 'c0' }),
      asLauncher,
    );
    const addr = execFileSync('ip', ['-n', ns.name, '-o', '-4', 'addr', 'show', 'dev', 'eth0'], { encoding: 'utf8' });
    assert.match(addr, new RegExp(` ${ep.address.replaceAll('.', '\\.')}/`));
    assert.match(execFileSync('ip', ['-n', ns.name, 'route', 'show', 'default'], { encoding: 'utf8' }), /^default via/);
    assert.deepEqual(spawns, ['netlink'], `attach spawned: ${spawns.join(', ')}`);
    assert.ok(execFileSync('ip', ['link', 'show']).includes(ep.hostVeth));

    // the delete batch goes through the executor too, which exits once the kernel is done (netlink-delete.ts)
    const left = await countingSpawns(() => m.leave(ns.name, net.id), asLauncher);
    assert.deepEqual(left.spawns, ['netlink'], `leave spawned: ${left.spawns.join(', ')}`);
    assert.ok(!execFileSync('ip', ['link', 'show']).includes(ep.hostVeth), 'host veth left');
    assert.ok(!execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).includes(ns.name), 'namespace left');
    assert.deepEqual((await m.inspect(net.id)) && (await m.list()).find((n) => n.id === net.id)?.endpoints, []);
  },
);

test(
  "the last endpoint's leave of a network being removed takes veth, bridge, namespace and rules in one spawn",
  { skip: !isRoot() && 'needs root' },
  async (t) => {
    const defer = cleanupStack(t);
    const m = createNetworkManager({ root: await tempRoot(defer, 'attr') });
    const net = await m.ensureNetwork({ id: `attr${process.pid}_default`, internal: false });
    defer(() => m.removeNetwork(net.id).catch(() => undefined));
    const ns = await makeNetns(defer, 'attr');
    const ep = await m.attach(ns.path, net.id, { ifname: 'eth0', defaultRoute: true, owner: 'c0' });
    m.expectRemoval([net.id]); // down: removeNetwork follows
    const left = await countingSpawns(() => m.leave(ns.name, net.id), asLauncher);
    assert.deepEqual(left.spawns, ['netlink'], `leave spawned: ${left.spawns.join(', ')}`);
    const links = execFileSync('ip', ['link', 'show'], { encoding: 'utf8' });
    assert.ok(!links.includes(ep.hostVeth), 'host veth left');
    assert.ok(!links.includes(`${net.bridge}:`), 'bridge left');
    assert.ok(!execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).includes(ns.name), 'namespace left');
    // removeNetwork then finds it gone without a lock turn: while this test holds the host-wide lock
    // it still returns (on 4f3a0ae it waited for the lock).
    const removed = await withLock(DEFAULT_LOCK_FILE, () =>
      Promise.race([
        countingSpawns(() => m.removeNetwork(net.id)),
        new Promise<undefined>((r) => setTimeout(() => r(undefined), 3_000)),
      ]),
    );
    assert.ok(removed, 'removeNetwork waited for the network lock');
    assert.deepEqual(removed.spawns, [], `removeNetwork spawned: ${removed.spawns.join(', ')}`);
  },
);

test('a failing host batch leaves no veth and runs no inside batch', { skip: !isRoot() && 'needs root' }, async (t) => {
  const defer = cleanupStack(t);
  const ns = await makeNetns(defer, 'ipbh');
  const r = await ipHostThenBatches(
    ['link add dev gantrybad0 type nosuchkind'],
    [{ netns: ns.name, lines: ['link set lo up'] }],
  );
  assert.match(String(r.host), /ip -batch -.*failed/);
  assert.deepEqual(r.jobs, [undefined]);
  assert.doesNotMatch(execFileSync('ip', ['-n', ns.name, 'link', 'show', 'lo'], { encoding: 'utf8' }), /[<,]UP[,>]/);
});

test(
  'an attach with newNetns makes the namespace in the same spawn, its owner recorded first',
  { skip: !isRoot() && 'needs root' },
  async (t) => {
    const defer = cleanupStack(t);
    const root = await tempRoot(defer, 'attn');
    const m = createNetworkManager({ root });
    const net = await m.ensureNetwork({ id: `attn${process.pid}_default`, internal: false });
    defer(() => m.removeNetwork(net.id).catch(() => undefined));
    const name = `gtest-${process.pid}-attn`;
    defer(() => deleteNetns(name));
    const { result: ep, spawns } = await countingSpawns(
      () => m.attach(netnsPath(name), net.id, { ifname: 'eth0', defaultRoute: true, newNetns: { owner: root } }),
      asLauncher,
    );
    assert.deepEqual(spawns, ['netlink'], `attach spawned: ${spawns.join(', ')}`);
    assert.equal(readFileSync(`/run/gantry/netns/${name}`, 'utf8'), root);
    const addr = execFileSync('ip', ['-n', name, '-o', '-4', 'addr', 'show', 'dev', 'eth0'], { encoding: 'utf8' });
    assert.match(addr, new RegExp(` ${ep.address.replaceAll('.', '\\.')}/`));
    await m.leave(name, net.id);
    await deleteNetns(name);
    assert.ok(!existsSync(`/run/gantry/netns/${name}`), 'owner record left');
    assert.ok(!existsSync(netnsPath(name)), 'namespace left');
  },
);
// kill -9 of the CLI while its launcher runs: no scratch is left behind (the launcher once kept each
// batch's stderr in a /tmp/gantry-ip-XXXX dir removed in a `finally`, which a kill skips).
test('a kill -9 during the launcher leaves nothing in the temp dir', { skip: !isRoot() && 'needs root' }, async (t) => {
  const defer = cleanupStack(t);
  const tmp = mkdtempSync(join(tmpdir(), 'attl-tmp-'));
  defer(() => rmSync(tmp, { recursive: true, force: true }));
  const mod = new URL('../../../src/network/ip-batches.ts', import.meta.url).href;
  // Many jobs on a namespace that does not exist: the launcher lives long enough to be seen.
  const code = `const { ipBatches } = await import(${JSON.stringify(mod)});
    await ipBatches(Array.from({ length: 400 }, (_, i) => ({ netns: 'attl-none-' + i, lines: ['link set lo up'] })));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    env: { ...process.env, TMPDIR: tmp },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const childrenOf = (pid: number): string =>
    existsSync(`/proc/${pid}/task/${pid}/children`) ? readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8') : '';
  let launcher = false;
  for (let i = 0; i < 20_000 && child.exitCode === null && !launcher; i++) {
    launcher = childrenOf(child.pid!).trim() !== '';
    if (!launcher) await new Promise((r) => setTimeout(r, 1));
  }
  assert.ok(launcher, 'the launcher was never seen running');
  child.kill('SIGKILL');
  await exited;
  const left = readdirSync(tmp).filter((f) => !f.startsWith('tsx-')); // tsx's own compile cache
  assert.deepEqual(left, [], 'left in TMPDIR after kill -9');
});
