// Issue 15's "Done when": the realistic stack of test/fixtures/realistic-stack (logging options, a
// named, an anonymous and an image volume, security_opt, shm_size, profiles, a sidecar with
// network_mode service:, a port range with --scale, an nginx-style resolver on 127.0.0.11) goes up
// with --wait, survives a change-and-up cycle that recreates only the changed service, and
// `down -v` leaves nothing on the host. On 9d45363 nothing answered on 127.0.0.11, so the proxy
// never became healthy and `up --wait` failed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot, stillThere, tracesOf } from '../helpers/engine-e2e.ts';
import { queryIn } from '../helpers/dns-query.ts';
import { psAll } from './lifecycle-helpers.ts';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'realistic-stack', 'compose.yaml');

const stateOf = (root: string, c: string): { pid: number; created: string } =>
  JSON.parse(readFileSync(join(root, 'containers', c, 'state.json'), 'utf8')) as { pid: number; created: string };

// One try, also right after an `up --wait` that recreated web: its ports answer at once (issue 15).
async function page(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/`);
  return (await res.text()).trim();
}

test('the realistic stack: up --wait, change and up, down -v leaves nothing', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}real`;
  const base = 20610 + (process.pid % 200) * 4; // a block of 4 per test process, clear of the other tests
  const env = (release: number) => `WEB_PORTS=${base}-${base + 3}\nRELEASE=${release}\n`;
  const dir = e.project(name, { 'compose.yaml': readFileSync(FIXTURE, 'utf8'), '.env': env(1) });
  const gantry = (...args: string[]) => e.gantry(['-p', name, ...args], { cwd: dir, timeoutMs: 240_000 });

  const up = await gantry('up', '-d', '--wait', '--scale', 'web=2');
  assert.equal(up.exitCode, 0, up.stderr);
  const rows = await psAll(e, dir);
  const running = rows.filter((r) => r.State === 'running').map((r) => r.Name.replace(`${name}-`, ''));
  assert.deepEqual(running.sort(), ['db-1', 'proxy-1', 'sidecar-1', 'web-1', 'web-2'], JSON.stringify(rows));
  assert.ok(!rows.some((r) => r.Service === 'admin'), 'a service of an inactive profile is not started');
  const migrate = rows.find((r) => r.Service === 'migrate');
  assert.equal(migrate?.ExitCode, 0, 'the migration job completed');
  const traces = tracesOf(e.root, name);

  // the port range: one port of it per replica, each answering
  const pages = [await page(base), await page(base + 1)];
  assert.equal(new Set(pages).size, 2, pages.join(' | '));
  for (const p of pages) assert.match(p, / release 1$/);

  // nginx-style resolver: the proxy asks 127.0.0.11 in its own namespace, and gets both replicas
  const proxy = stateOf(e.root, `${name}-proxy-1`).pid;
  const webs = queryIn(proxy, 'web', 'udp');
  assert.equal(webs.rcode, 0);
  assert.equal(webs.addresses.length, 2, webs.addresses.join(' '));
  assert.equal(queryIn(proxy, 'db', 'tcp').addresses.length, 1);
  assert.equal(queryIn(proxy, 'no-such-service', 'udp').rcode, 3);

  // the sidecar shares the proxy's namespace: its port is the proxy's localhost, its resolver the same
  const side = await gantry('exec', '-T', 'proxy', 'wget', '-q', '-O-', 'http://127.0.0.1:9000/');
  assert.equal(side.stdout.trim(), 'sidecar', side.stderr);
  const sideResolv = await gantry('exec', '-T', 'sidecar', 'cat', '/etc/resolv.conf');
  assert.match(sideResolv.stdout, /^nameserver 127\.0\.0\.11$/m);

  // security_opt and shm_size in the container
  const nnp = await gantry('exec', '-T', 'db', 'grep', 'NoNewPrivs', '/proc/1/status');
  assert.match(nnp.stdout, /NoNewPrivs:\s+1/);
  const shm = await gantry('exec', '-T', 'db', 'df', '-k', '/dev/shm');
  assert.match(shm.stdout, /\s131072\s/);

  // logging max-size/max-file: the job's 120 lines went into two small files
  const logDir = join(e.root, 'containers', `${name}-migrate-1`);
  const logs = readdirSync(logDir).filter((f) => f.startsWith('container.log'));
  assert.deepEqual(logs.sort(), ['container.log', 'container.log.1']);
  for (const f of logs) assert.ok(statSync(join(logDir, f)).size <= 2048, `${f} is bounded`);

  // anonymous volumes (/cache, and the image's VOLUME /data) exist per container
  const vols = (await gantry('volume', 'ls', '-q')).stdout.split('\n').filter(Boolean);
  assert.ok(vols.filter((v) => /^[0-9a-f]{64}$/.test(v)).length >= 2, vols.join(' '));
  assert.ok(
    vols.some((v) => v === `${name}_dbdata`),
    vols.join(' '),
  );

  // naming a profiled service enables its profile
  const admin = await gantry('run', '--rm', 'admin');
  assert.equal(admin.exitCode, 0, admin.stderr);
  assert.match(admin.stdout, /\d{4}/, 'the admin tool reached db by name');

  // change web only: only web's containers are recreated
  const before = Object.fromEntries(traces.containers.map((c) => [c, stateOf(e.root, c).created]));
  writeFileSync(join(dir, '.env'), env(2));
  const again = await gantry('up', '-d', '--wait', '--scale', 'web=2');
  assert.equal(again.exitCode, 0, again.stderr);
  for (const c of traces.containers) {
    if (c.includes('-admin-') || !existsSync(join(e.root, 'containers', c))) continue;
    const recreated = stateOf(e.root, c).created !== before[c];
    assert.equal(recreated, c.includes('-web-'), `${c} recreated: ${recreated}`);
  }
  for (const p of [await page(base), await page(base + 1)]) assert.match(p, / release 2$/);
  const boots = await gantry('exec', '-T', 'db', 'cat', '/var/lib/db/boots');
  assert.equal(boots.stdout.trim().split('\n').length, 1, 'db kept running with its data');

  const down = await gantry('down', '-v');
  assert.equal(down.exitCode, 0, down.stderr);
  assert.deepEqual(stillThere(tracesOf(e.root, name), e.root), []);
  assert.deepEqual(stillThere(traces, e.root), []);
  const left = (await gantry('volume', 'ls', '-q')).stdout.trim();
  assert.equal(left, '', 'down -v removed the named and the anonymous volumes');
});
