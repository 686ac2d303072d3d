// Stop with grace period, init reaping zombies, exec into the same namespaces, and state and
// logs that outlive the gantry process that started the container.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readlinkSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fixture, logText } from '../../helpers/rootfs-runtime.ts';
import { cgroupName } from '../../../src/runtime/context.ts';
import { hostCgroupDriver } from '../../../src/runtime/cgroups/index.ts';
import { nodeHost } from '../../../src/runtime/host.ts';
import { createRuntime } from '../../../src/runtime/index.ts';

const RUNTIME = new URL('../../../src/runtime/index.ts', import.meta.url).pathname;

test('lifecycle', async (t) => {
  const f = fixture(t, 'life');

  await t.test('stop: a program that handles SIGTERM exits by it', async () => {
    const id = await f.startDetached(['/bin/sh', '-c', 'trap "exit 3" TERM; echo up; while :; do sleep 0.05; done']);
    await f.waitOutput(id, 'up');
    const t0 = Date.now();
    const s = await f.rt.stop(id, { timeoutMs: 5000 });
    assert.equal(s.exitCode, 3);
    assert.ok(Date.now() - t0 < 4000);
  });

  await t.test('stop: a program that ignores SIGTERM is killed after the grace period', async () => {
    const id = await f.startDetached(['/bin/sh', '-c', 'trap "" TERM; while :; do sleep 0.05; done']);
    const t0 = Date.now();
    const s = await f.rt.stop(id, { timeoutMs: 400 });
    const took = Date.now() - t0;
    assert.equal(s.status, 'exited');
    assert.equal(s.exitCode, 137);
    assert.ok(took >= 400 && took < 3000, `took ${took} ms`);
    const driver = await hostCgroupDriver(nodeHost());
    assert.deepEqual(await driver.forContainer(cgroupName(join(f.root, 'containers'), id)).pids(), []);
  });

  await t.test('stop_signal from the spec is what stop sends', async () => {
    const id = await f.startDetached(['/bin/sh', '-c', 'trap "exit 9" USR1; echo up; while :; do sleep 0.05; done'], {
      stopSignal: 'SIGUSR1',
    });
    await f.waitOutput(id, 'up');
    assert.equal((await f.rt.stop(id, { timeoutMs: 5000 })).exitCode, 9);
  });

  // The orphan ends only once the shell has become `sleep 300`: a shell still waiting (for the subshell, slow under
  // load) reaps any child that ends meanwhile (waitpid(-1)), and then no zombie ever shows.
  const orphan = 'until grep -q ^sleep /proc/$p/comm; do sleep 0.01; done; exec sleep 0.05';
  const zombieScript = ['/bin/sh', '-c', `p=$$; (sh -c "${orphan}" &); echo forked; exec sleep 300`];
  /** Polls ps (no timing guess) until `done` holds for its output; a zombie shows as [sleep]. */
  const psUntil = async (id: string, done: (ps: string) => boolean) => {
    const until = Date.now() + 60_000;
    for (;;) {
      const ps = (await f.rt.exec(id, { args: ['/bin/ps', '-o', 'stat,args'], env: ['PATH=/bin'], cwd: '/' })).stdout;
      if (done(ps)) return ps;
      if (Date.now() > until) throw new Error(`ps never settled: ${JSON.stringify(ps)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  await t.test('without init an orphan stays a zombie (the test can see one)', async () => {
    const id = await f.startDetached(zombieScript);
    await f.waitOutput(id, 'forked');
    // STAT is Z plus ps's flags: N when the container runs niced (a test runner under `nice`).
    const zombie = /^Z\S*\s+\[sleep\]$/m;
    await psUntil(id, (ps) => zombie.test(ps));
    await new Promise((r) => setTimeout(r, 300));
    await psUntil(id, (ps) => zombie.test(ps)); // and it stays one
  });

  await t.test('with init: true, PID 1 is the init and zombies are reaped', async () => {
    const id = await f.startDetached(zombieScript, { init: true });
    await f.waitOutput(id, 'forked'); // the orphan exists (or existed) before we look
    // the orphan ran, ended, and was reaped: neither running nor a zombie any more
    const ps = await psUntil(id, (out) => !/sleep 0\.05/.test(out) && !/^Z/m.test(out));
    assert.match(ps, /sleep 300/);
    const pid1 = await f.rt.exec(id, { args: ['/bin/cat', '/proc/1/status'], env: [], cwd: '/' });
    assert.match(pid1.stdout, /^Name:\s+gantry-shim$/m);
    // and it forwards SIGTERM: sleep (no handler, not PID 1) dies of it
    const s = await f.rt.stop(id, { timeoutMs: 5000 });
    assert.equal(s.exitCode, 143);
  });

  await t.test('exec joins the same namespaces and cgroups, with Docker privileges', async () => {
    const id = await f.startDetached(['/bin/sleep', '30'], { hostname: 'exec-box' });
    const pid = f.rt.state(id).pid!;
    const names = ['pid', 'mnt', 'net', 'uts', 'ipc'];
    const script = `${names.map((n) => `readlink /proc/self/ns/${n}`).join('; ')}; hostname; grep CapEff /proc/self/status; cat /proc/self/cgroup | grep memory; ps -o pid,comm`;
    const r = await f.rt.exec(id, { args: ['/bin/sh', '-c', script], env: ['PATH=/bin'], cwd: '/' });
    assert.equal(r.exitCode, 0, r.stderr);
    const lines = r.stdout.split('\n');
    names.forEach((n, i) => assert.equal(lines[i], readlinkSync(`/proc/${pid}/ns/${n}`), n));
    assert.equal(lines[5], 'exec-box');
    assert.match(r.stdout, /CapEff:\t00000000a80425fb/);
    assert.match(
      r.stdout,
      new RegExp(`memory:/gantry/${cgroupName(join(f.root, 'containers'), id).replace('.', '\\.')}$`, 'm'),
    );
    assert.match(r.stdout, /^\s+1 sleep$/m);
  });

  await t.test('exec: user, env, working dir and exit code pass through', async () => {
    const id = await f.startDetached(['/bin/sleep', '30']);
    const r = await f.rt.exec(id, {
      args: ['/bin/sh', '-c', 'id -u; echo $FOO; pwd; exit 7'],
      env: ['FOO=bar'],
      cwd: '/tmp',
      user: 'user',
    });
    assert.deepEqual([r.exitCode, r.stdout], [7, '1000\nbar\n/tmp\n']);
    await f.rt.exec(id, {
      args: ['/bin/sh', '-c', 'echo "late:x:1234:1234::/:/bin/sh" >> /etc/passwd'],
      env: [],
      cwd: '/',
    });
    const late = await f.rt.exec(id, { args: ['/bin/id', '-u'], env: [], cwd: '/', user: 'late' });
    assert.equal(late.stdout, '1234\n', 'a user added inside the running container resolves for exec');
    const inp = await f.rt.exec(id, { args: ['/bin/cat'], env: [], cwd: '/', stdin: true }, { input: 'piped\n' });
    assert.equal(inp.stdout, 'piped\n');
    const t0 = Date.now();
    // the shell's child keeps the output pipe open after the shell is killed: exec must still end
    const slow = await f.rt.exec(
      id,
      { args: ['/bin/sh', '-c', 'trap "" TERM; echo begun; sleep 20; true'], env: [], cwd: '/' },
      { timeoutMs: 300 },
    );
    assert.deepEqual([slow.timedOut, slow.exitCode, slow.stdout], [true, 137, 'begun\n']);
    assert.ok(Date.now() - t0 < 5000);
  });

  await t.test('state and logs survive the gantry process that started the container', async () => {
    const id = f.id('survive');
    const gate = join(f.root, 'gate');
    mkdirSync(gate);
    // it writes its last lines only once we open the gate, i.e. after its creator is dead
    const spec = f.spec(
      ['/bin/sh', '-c', 'echo early; while [ ! -e /gate/go ]; do sleep 0.02; done; echo late; echo oops >&2'],
      {
        mounts: [{ type: 'bind', source: gate, target: '/gate' }],
      },
    );
    // A separate process creates and starts it, then dies hard (SIGKILL itself).
    const code = `import { createRuntime } from ${JSON.stringify(RUNTIME)};
      const rt = createRuntime({ containersDir: ${JSON.stringify(join(f.root, 'containers'))} });
      await rt.create(${JSON.stringify(id)}, ${JSON.stringify(spec)}); await rt.start(${JSON.stringify(id)});
      process.kill(process.pid, 'SIGKILL');`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' });
    assert.equal(r.signal, 'SIGKILL', r.stderr);
    assert.equal(f.rt.state(id).status, 'running');
    writeFileSync(join(gate, 'go'), '');
    const s = await f.rt.wait(id, { timeoutMs: 10_000 });
    assert.equal(s.exitCode, 0);
    const log = join(f.root, 'containers', id, 'container.log');
    assert.equal(logText(log, 'stdout'), 'early\nlate\n');
    assert.equal(logText(log, 'stderr'), 'oops\n');
    assert.match(readFileSync(log, 'utf8'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z stdout F early$/m);
  });

  await t.test('an exited container starts again on its own writable layer', async () => {
    const id = await f.startDetached(['/bin/sh', '-c', 'cat /count 2>/dev/null; echo x >> /count; exit 4']);
    assert.equal((await f.rt.wait(id, { timeoutMs: 10_000 })).exitCode, 4);
    await f.rt.start(id);
    const again = await f.rt.wait(id, { timeoutMs: 10_000 });
    assert.equal(again.exitCode, 4);
    assert.equal(logText(f.rt.logPath(id), 'stdout'), 'x\n');
    await assert.rejects(f.rt.start(await f.startDetached(['/bin/sleep', '30'])), /already running/);
  });

  await t.test('a volatile writable layer is mounted volatile, and starts again on itself', async () => {
    const script =
      'grep -c "upperdir=.*volatile" /proc/self/mountinfo; cat /count 2>/dev/null; echo x >> /count; exit 4';
    const rootfs = { ...f.spec([]).rootfs, volatile: true };
    const id = await f.startDetached(['/bin/sh', '-c', script], { rootfs });
    assert.equal((await f.rt.wait(id, { timeoutMs: 10_000 })).exitCode, 4);
    // overlayfs refuses a volatile work dir it mounted before until its mark is gone (clearVolatileMark)
    await f.rt.start(id);
    assert.equal((await f.rt.wait(id, { timeoutMs: 10_000 })).exitCode, 4);
    assert.equal(logText(f.rt.logPath(id), 'stdout'), '1\n1\nx\n');
  });

  await t.test('a missing shim binary is a clear error, not a crash', async () => {
    const rt = createRuntime({ containersDir: join(f.root, 'containers'), host: nodeHost('/nonexistent/gantry-shim') });
    const id = f.id('noshim');
    await rt.create(id, f.spec(['/bin/true']));
    await assert.rejects(
      rt.start(id),
      /cannot run the shim \(spawn \/nonexistent\/gantry-shim ENOENT; build it with npm run build\)/,
    );
  });
});
