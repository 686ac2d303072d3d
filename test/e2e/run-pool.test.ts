// `container run` on the default bridge leases a namespace from the state root's pool
// (engine/ops/netns-pool.ts): kept on the bridge between containers, so a run whose member is
// free starts no `ip` and takes no network lock (issue 20: making and deleting one per run was
// ≈ 80 ms of run --rm's fixed cost). What could change a namespace gets one of its own, and what
// a killed CLI leased is taken over or pruned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GANTRY_BIN } from '../helpers/cli.ts';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { freePort } from '../helpers/registry.ts';
import { answer } from '../helpers/port-answer.ts';
import { TEST_IMAGE_REF as IMG } from '../helpers/test-images.ts';
import { shortId } from '../../src/common/short-id.ts';
import { netnsNameFor } from '../../src/engine/ops/networking.ts';

// Preloaded: every process the CLI spawns; a /bin/sh launcher by its $0 (gantry-ip: network batches).
const HOOK = `
const { ChildProcess } = require('node:child_process');
const spawn = ChildProcess.prototype.spawn; const seen = [];
ChildProcess.prototype.spawn = function (o) { seen.push(o.args[0] === '/bin/sh' ? o.args[3] : o.args.slice(0, 2).join(' ')); return spawn.call(this, o); };
process.on('exit', () => process.stderr.write('spawned: ' + JSON.stringify(seen) + '\\n'));
`;

const poolOf = (root: string): string[] =>
  readdirSync('/run/netns')
    .filter((n) => n.startsWith(`gantry-r${shortId(root).slice(0, 8)}-pool-`))
    .sort();
const leaseDir = (root: string): string => join(root, 'projects', '_containers', 'netns-pool');
const leasesOf = (root: string): string[] => (existsSync(leaseDir(root)) ? readdirSync(leaseDir(root)) : []);
const inode = (name: string): number => statSync(`/run/netns/${name}`).ino;
const addressIn = (out: string): string => /inet (\d+\.\d+\.\d+\.\d+)\//.exec(out)?.[1] ?? `no address in ${out}`;
const SHOW = ['sh', '-c', 'ip -4 addr show; cat /etc/hosts'];

test('container run on the default bridge through the pool', { timeout: 600_000 }, async (t) => {
  const r = await e2eRoot(t.after.bind(t));
  const hook = join(r.root, 'hook.cjs');
  writeFileSync(hook, HOOK);
  const run = (args: readonly string[], counted = false) => {
    const pre = counted ? ['-r', hook] : [];
    const p = spawnSync(process.execPath, [...pre, GANTRY_BIN, ...args], { env: r.env, cwd: r.root, encoding: 'utf8' });
    assert.equal(p.status, 0, `gantry ${args.join(' ')}: ${p.stderr}`);
    const spawned = counted ? (JSON.parse(/spawned: (.*)/.exec(p.stderr)![1]!) as string[]) : [];
    return { out: p.stdout, spawned };
  };

  await t.test('run --rm twice: the same namespace and address, and no `ip` run the second time', () => {
    const first = run(['container', 'run', '--rm', IMG, ...SHOW]);
    const pool = poolOf(r.root);
    assert.equal(pool.length, 1, `one pooled namespace kept: ${pool.join(', ')}`);
    const ino = inode(pool[0]!);
    const address = addressIn(first.out);
    assert.match(first.out, new RegExp(`^${address.replaceAll('.', '\\.')}\\s`, 'm'), '/etc/hosts names its address');
    const second = run(['container', 'run', '--rm', IMG, ...SHOW], true);
    // Only the container's shim: before the pool, an attach's gantry-ip and the removal's ip -batch.
    assert.equal(second.spawned.length, 1, second.spawned.join(', '));
    assert.match(second.spawned[0]!, /gantry-shim /);
    assert.equal(addressIn(second.out), address);
    assert.deepEqual(poolOf(r.root), pool);
    assert.equal(inode(pool[0]!), ino, 'the same namespace, not a new one of the same name');
    assert.deepEqual(leasesOf(r.root), [], 'the lease is given back');
  });

  await t.test('NET_ADMIN or --privileged: a namespace of its own, and what it added reaches no one', () => {
    const [member] = poolOf(r.root);
    const ino = inode(member!);
    for (const [name, flag] of [
      ['netadmin', '--cap-add=NET_ADMIN'],
      ['priv', '--privileged'],
    ] as const) {
      const add = run([
        'container',
        'run',
        '--rm',
        '--name',
        name,
        flag,
        IMG,
        'sh',
        '-c',
        'ip addr add 10.213.7.7/32 dev lo && ip -4 addr',
      ]);
      assert.match(add.out, /10\.213\.7\.7/, `${flag}: the address was added`);
      assert.equal(existsSync(`/run/netns/${netnsNameFor(r.root, name)}`), false, `${flag}: its own namespace is gone`);
      const next = run(['container', 'run', '--rm', IMG, 'ip', '-4', 'addr']);
      assert.doesNotMatch(next.out, /10\.213\.7\.7/, `${flag}: the next container does not see it`);
      assert.deepEqual(poolOf(r.root), [member]);
      assert.equal(inode(member!), ino, `${flag}: the pooled namespace was not used`);
    }
  });

  await t.test('--sysctl net.*: set in a namespace of its own, the next container has the default', () => {
    const [member] = poolOf(r.root);
    const ino = inode(member!);
    const file = '/proc/sys/net/ipv4/ip_unprivileged_port_start';
    const set = run([
      'container',
      'run',
      '--rm',
      '--sysctl',
      'net.ipv4.ip_unprivileged_port_start=123',
      IMG,
      'cat',
      file,
    ]);
    assert.equal(set.out.trim(), '123');
    assert.equal(run(['container', 'run', '--rm', IMG, 'cat', file]).out.trim(), '1024');
    assert.equal(inode(member!), ino, 'the pooled namespace was not used');
  });

  await t.test('-d -p: published on the leased address; container rm -f gives the lease back', async () => {
    const port = await freePort();
    run([
      'container',
      'run',
      '-d',
      '--name',
      'web',
      '-p',
      `${port}:8080`,
      IMG,
      'httpd',
      '-f',
      '-p',
      '8080',
      '-h',
      '/etc',
    ]);
    assert.ok((await answer(port)).trim().length > 0, 'the port answers');
    const [member] = poolOf(r.root);
    assert.deepEqual(leasesOf(r.root), [`${member}.lease`]);
    assert.match(readFileSync(join(leaseDir(r.root), `${member}.lease`), 'utf8'), / web$/, 'held by the container');
    assert.equal(run(['container', 'port', 'web']).out, `8080/tcp -> 0.0.0.0:${port}\n`);
    // While web holds the first member, a run gets the next one, with another address.
    const other = run(['container', 'run', '--rm', IMG, ...SHOW]);
    assert.equal(poolOf(r.root).length, 2);
    const web = run(['container', 'exec', 'web', 'ip', '-4', 'addr', 'show', 'eth0']).out;
    assert.notEqual(addressIn(web), addressIn(other.out), 'two containers, two addresses');
    assert.match(run(['container', 'inspect', 'web']).out, new RegExp(`"${addressIn(web).replaceAll('.', '\\.')}"`));
    run(['container', 'rm', '-f', 'web']);
    assert.deepEqual(leasesOf(r.root), [], 'rm -f gave the lease back');
    assert.equal(poolOf(r.root).length, 2, 'both members kept for the next runs');
    await assert.rejects(fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) }));
  });

  await t.test('a process left in a member (joined by path): the next lease makes it anew', () => {
    const [member] = poolOf(r.root);
    run(['container', 'run', '-d', '--name', 'holder', IMG, 'sleep', '600']);
    run(['container', 'run', '-d', '--name', 'joiner', '--network', `/run/netns/${member}`, IMG, 'sleep', '600']);
    const ino = inode(member!);
    run(['container', 'rm', '-f', 'holder']);
    const next = run(['container', 'run', '--rm', IMG, 'ip', '-4', 'addr', 'show', 'eth0']);
    assert.notEqual(inode(member!), ino, 'the occupied namespace was replaced');
    assert.match(next.out, /inet /, 'and joined to the bridge again');
    run(['container', 'rm', '-f', 'joiner']);
  });

  await t.test('kill -9 of the CLI: its lease is taken over, and network prune removes the pool', async () => {
    const child = spawn(
      process.execPath,
      [GANTRY_BIN, 'container', 'run', '--rm', '--name', 'killed', IMG, 'sleep', '5'],
      {
        env: r.env,
        stdio: 'ignore',
      },
    );
    const listed = (all: boolean): string => run(['container', 'ls', ...(all ? ['-a'] : []), '--format', 'json']).out;
    const state = join(r.root, 'containers', 'killed', 'state.json');
    const until = Date.now() + 60_000;
    // Read from the state file, not by a CLI call: under load one may take longer than the program runs.
    while (!(existsSync(state) && readFileSync(state, 'utf8').includes('"started"'))) {
      assert.ok(Date.now() < until, 'the run started');
      await new Promise((res) => setTimeout(res, 20));
    }
    child.kill('SIGKILL');
    await new Promise((res) => child.once('exit', res));
    // Its shim removes the --rm container once the program exits, and with it the lease.
    while (listed(true).includes('"killed"')) {
      assert.ok(Date.now() < until + 60_000, 'the killed run is removed');
      await new Promise((res) => setTimeout(res, 200));
    }
    assert.deepEqual(leasesOf(r.root), [], 'its lease went with it');
    // A CLI killed between its lease and its container's create: a dead pid, a container that never was.
    const [first] = poolOf(r.root);
    const ino = inode(first!);
    const dead = spawnSync('true').pid!;
    mkdirSync(leaseDir(r.root), { recursive: true }); // the last release removed it
    writeFileSync(join(leaseDir(r.root), `${first}.lease`), `${dead} ghost`);
    run(['container', 'run', '--rm', IMG, 'true']);
    assert.equal(inode(first!), ino, 'the dead lease was taken over: the first member reused');
    assert.deepEqual(leasesOf(r.root), []);
    const prune = run(['network', 'prune']);
    for (const n of poolOf(r.root)) assert.fail(`${n} left after prune: ${prune.out}`);
    assert.match(prune.out, /^bridge$/m, 'the default bridge goes too');
    assert.match(prune.out, /\(namespace of the default bridge\)$/m);
    assert.equal(existsSync(join(r.root, 'projects', '_containers')), false, 'no empty state dir left');
  });
});
