// The low-level CLI end to end: run (foreground exit code, --rm, -d), ls, logs, exec, stop,
// kill, rm, inspect, against a temp GANTRY_ROOT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { GANTRY_BIN, runGantry } from '../../helpers/cli.ts';
import { ROOTFS } from '../../helpers/rootfs-runtime.ts';

test('container CLI', async (t) => {
  const root = mkdtempSync(join(tmpdir(), `gantry-cli-${process.pid}-`));
  const env = { ...process.env, GANTRY_ROOT: root };
  const g = (...args: string[]) => runGantry(args, { env });
  const name = (s: string) => `cli-${s}-${process.pid}`;
  t.after(async () => {
    const ls = await g('container', 'ls', '-a', '--format', 'json');
    for (const c of JSON.parse(ls.stdout || '[]') as { id: string }[]) await g('container', 'rm', '-f', c.id);
    rmSync(root, { recursive: true, force: true });
  });

  await t.test("run in the foreground: output and exit code are the program's; --rm leaves nothing", async () => {
    const r = await g(
      'container',
      'run',
      '--rm',
      '-e',
      'X=1',
      ROOTFS,
      '/bin/sh',
      '-c',
      'echo out $X; echo err >&2; exit 5',
    );
    assert.deepEqual([r.exitCode, r.stdout, r.stderr], [5, 'out 1\n', 'err\n']);
    assert.deepEqual(readdirSync(join(root, 'containers')), []);
  });

  await t.test('a missing command exits 127', async () => {
    const r = await g('container', 'run', '--rm', '--rootfs', ROOTFS, '/no/such');
    assert.equal(r.exitCode, 127);
    assert.match(r.stderr, /exec \/no\/such: No such file or directory/);
    const d = await g('container', 'run', '--rm', '-d', ROOTFS, '/no/such');
    assert.equal(d.exitCode, 1);
    assert.deepEqual(readdirSync(join(root, 'containers')), [], 'run --rm -d cleans up a failed start');
  });

  await t.test(
    'flags reach the container: -w -u --hostname --read-only -v --tmpfs --memory --pids-limit --cap-drop',
    async () => {
      const r = await g(
        'container',
        'run',
        '--rm',
        '-w',
        '/work',
        '-u',
        'user',
        '--hostname',
        'h1',
        '--read-only',
        '-v',
        `${root}:/host:ro`,
        '--tmpfs',
        '/scratch:size=1m',
        '--memory',
        '64m',
        '--pids-limit',
        '20',
        '--cap-drop',
        'ALL',
        ROOTFS,
        '/bin/sh',
        '-c',
        'pwd; id -u; hostname; touch /x 2>/dev/null || echo ro; ls -d /host; touch /scratch/ok && echo tmpfs; grep CapBnd /proc/self/status; echo $HOME',
      );
      assert.equal(r.exitCode, 0, r.stderr);
      assert.equal(r.stdout, '/work\n1000\nh1\nro\n/host\ntmpfs\nCapBnd:\t0000000000000000\n/home/user\n');
    },
  );

  await t.test('-d, ls, logs, exec, stop, inspect, rm', async () => {
    const id = name('bg');
    const d = await g(
      'container',
      'run',
      '-d',
      '--name',
      id,
      ROOTFS,
      '/bin/sh',
      '-c',
      'trap "echo bye; exit 0" TERM; echo started; while :; do sleep 0.05; done',
    );
    assert.deepEqual([d.exitCode, d.stdout], [0, `${id}\n`]);
    // the trap must be set before stop sends SIGTERM (PID 1 ignores signals it has no handler for)
    for (let i = 0; i < 200 && !(await g('container', 'logs', id)).stdout.includes('started'); i++)
      await new Promise((r) => setTimeout(r, 20));
    const ls = JSON.parse((await g('container', 'ls', '--format', 'json')).stdout) as { id: string; status: string }[];
    assert.equal(ls.find((c) => c.id === id)?.status, 'running');
    assert.match((await g('container', 'ls')).stdout, new RegExp(`^${id}\\s`, 'm'));
    const ex = await g('container', 'exec', id, '/bin/sh', '-c', 'echo $$ in; exit 4');
    assert.equal(ex.exitCode, 4);
    assert.match(ex.stdout, /^\d+ in\n$/);
    const stop = await g('container', 'stop', '-t', '5', id);
    assert.equal(stop.exitCode, 0, stop.stderr);
    const logs = await g('container', 'logs', id);
    assert.equal(logs.stdout, 'started\nbye\n');
    const insp = JSON.parse((await g('container', 'inspect', id)).stdout) as { status: string; exitCode: number }[];
    assert.deepEqual([insp[0]?.status, insp[0]?.exitCode], ['exited', 0]);
    assert.equal((await g('container', 'rm', id)).exitCode, 0);
    assert.equal((await g('container', 'inspect', id)).exitCode, 1);
  });

  await t.test('kill sends the signal; rm refuses a running container without -f', async () => {
    const id = name('kill');
    await g('container', 'run', '-d', '--name', id, ROOTFS, '/bin/sleep', '30');
    const rm = await g('container', 'rm', id);
    assert.equal(rm.exitCode, 1);
    assert.match(rm.stderr, /is running/);
    assert.equal((await g('container', 'kill', '-s', 'KILL', id)).exitCode, 0);
    const logsF = await g('container', 'logs', '-f', id); // returns once it has exited
    assert.equal(logsF.exitCode, 0);
    const insp = JSON.parse((await g('container', 'inspect', id)).stdout) as { exitCode: number }[];
    assert.equal(insp[0]?.exitCode, 137);
  });

  await t.test('run --rm -d removes the container once it exits', async () => {
    const id = name('rmd');
    assert.equal((await g('container', 'run', '--rm', '-d', '--name', id, ROOTFS, '/bin/true')).exitCode, 0);
    for (let i = 0; i < 100 && readdirSync(join(root, 'containers')).includes(id); i++)
      await new Promise((r) => setTimeout(r, 50));
    assert.ok(!readdirSync(join(root, 'containers')).includes(id));
  });

  await t.test('SIGTERM to a foreground run reaches the container', { timeout: 30_000 }, async (tt) => {
    const child = spawn(
      process.execPath,
      [
        GANTRY_BIN,
        'container',
        'run',
        '--rm',
        ROOTFS,
        '/bin/sh',
        '-c',
        'trap "echo got-term; exit 7" TERM; echo ready; while :; do sleep 0.05; done',
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    tt.after(() => child.kill('SIGKILL'));
    let out = '';
    const code = new Promise<number | null>((r) => child.on('close', r));
    await new Promise<void>((r) =>
      child.stdout.on('data', (d: Buffer) => ((out += d.toString()), out.includes('ready') && r())),
    );
    child.kill('SIGTERM');
    assert.equal(await code, 7);
    assert.equal(out, 'ready\ngot-term\n');
  });
});
