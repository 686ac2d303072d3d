// `gantry logs` as a user runs it, over real containers made with the runtime in a temp
// GANTRY_ROOT and labelled as `up` labels them: interleaving by time across services, SERVICE
// filter, --tail, --no-log-prefix, -t, --since, and -f following a restart until Ctrl-C.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime } from '../../src/runtime/index.ts';
import { LABELS } from '../../src/engine/labels.ts';
import { GANTRY_BIN, runGantry } from '../helpers/cli.ts';
import { busyboxRootfs } from '../helpers/rootfs.ts';
import '../helpers/rootfs-runtime.ts'; // builds the native shim

const isRoot = process.getuid?.() === 0;

test('gantry logs over real container logs', { skip: !isRoot && 'needs root', timeout: 120_000 }, async (t) => {
  const root = mkdtempSync(join(tmpdir(), `gantry-e2e-logs-${process.pid}-`));
  const rt = createRuntime({ root });
  const project = `lg${process.pid}`;
  t.after(async () => {
    for (const c of await rt.list()) await rt.delete(c.id, { force: true }).catch(() => {});
    rmSync(root, { recursive: true, force: true });
  });
  const env = { ...process.env, GANTRY_ROOT: root };
  const make = async (service: string, n: number, script: string): Promise<string> => {
    const id = `${project}-${service}-${n}`;
    const labels = { [LABELS.project]: project, [LABELS.service]: service, [LABELS.number]: String(n) };
    await rt.create(id, {
      rootfs: { layers: [busyboxRootfs()], readOnly: false },
      process: { args: ['/bin/sh', '-c', script], env: ['PATH=/bin'], cwd: '/' },
      labels,
    });
    await rt.start(id);
    return id;
  };
  // Both wait for one wall-clock second before they print: starting them one after the other takes
  // long enough under load to reorder lines 0.2 s apart.
  const go = Math.ceil(Date.now() / 1000) + 5;
  const at = (script: string) => `while [ $(date +%s) -lt ${go} ]; do usleep 20000; done; ${script}`;
  const web = await make('web', 1, at('echo w-a; sleep 0.4; echo w-b >&2'));
  const db = await make('db', 1, at('usleep 200000; echo d-a; sleep 0.4; echo d-b'));
  await make('other', 1, 'echo not-mine'); // labelled for this project too, filtered by SERVICE below
  await Promise.all([web, db].map((id) => rt.wait(id, { timeoutMs: 10_000 })));
  const logs = (...args: string[]) => runGantry(['-p', project, 'logs', '--no-color', ...args], { env });

  await t.test('all services, interleaved by time, padded prefixes', async () => {
    const r = await logs('web', 'db');
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, 'web-1  | w-a\ndb-1   | d-a\nweb-1  | w-b\ndb-1   | d-b\n');
  });

  await t.test('SERVICE filter, --tail, --no-log-prefix, -t, --since', async () => {
    assert.equal((await logs('db')).stdout, 'db-1  | d-a\ndb-1  | d-b\n');
    assert.equal((await logs('--tail', '1', 'web', 'db')).stdout, 'web-1  | w-b\ndb-1   | d-b\n');
    assert.equal((await logs('--no-log-prefix', 'web')).stdout, 'w-a\nw-b\n');
    assert.match((await logs('-t', 'db')).stdout, /^db-1 {2}\| \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z d-a\n/);
    assert.equal((await logs('--since', '1h', 'db')).stdout.split('\n').length, 3);
    assert.equal((await logs('--until', '1h', 'db')).stdout, '', 'until an hour ago: nothing yet');
    const bad = await logs('--since', 'soon');
    assert.equal(bad.exitCode, 2, bad.stderr);
    assert.match(bad.stderr, /--since: "soon"/);
  });

  await t.test('-f follows a restarted container until Ctrl-C', async () => {
    const child = spawn(process.execPath, [GANTRY_BIN, '-p', project, 'logs', '-f', '--no-color', 'db'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    t.after(() => void child.kill('SIGKILL'));
    let out = '';
    const seen = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`never saw ${text} in ${out}`)), 10_000);
        const check = () => out.includes(text) && (clearTimeout(timer), resolve());
        child.stdout.on('data', (d: Buffer) => ((out += d.toString()), check()));
        check();
      });
    await seen('d-b');
    await rt.start(db); // as a restart policy does: same container, same log file
    await seen('d-b\ndb-1  | d-a');
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGINT');
    assert.equal(await exited, 0);
  });
});
