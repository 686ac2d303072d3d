// kill -9 of `container run --rm -p PORT:8080` on the default `bridge` network at random points
// (seeded: GANTRY_CRASH_SEED; GANTRY_CRASH_BRIDGE_POINTS kills, 12 by default) within the
// command's own duration. After every kill the next commands clean up: within a few commands the
// root lists no container, and the next `run -p` of the same port answers over the bridge. At the
// end, once the bridge is removed (as `network prune` removes docker0's like), nothing of the root
// is left: no veth, bridge, netns, mount, cgroup, firewall rule, process or state file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { killAfter, random } from '../helpers/crash-kill.ts';
import { freePort } from '../helpers/registry.ts';
import { answer } from '../helpers/port-answer.ts';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { keptByDesign, leaksSince, snapshotHost, vethsOf } from '../helpers/host-snapshot.ts';

const POINTS = Number(process.env['GANTRY_CRASH_BRIDGE_POINTS'] ?? 12);
const SEED = Number(process.env['GANTRY_CRASH_SEED'] ?? Date.now() % 1_000_000);
const IMG = 'gantry-test/busybox:latest';

test(
  `${POINTS} kill -9 points of container run -p on the default bridge: the next command cleans up`,
  {
    timeout: 20 * 60_000,
  },
  async (t) => {
    t.diagnostic(`seed ${SEED} (GANTRY_CRASH_SEED=${SEED} replays it)`);
    const rnd = random(SEED);
    const e = await e2eRoot((fn) => t.after(fn));
    const scope = { root: e.root, networkIds: ['bridge'], containers: [] as string[] };
    const before = snapshotHost(scope);
    const veths = new Set<string>();
    const port = await freePort();
    const ok = async (args: readonly string[], what: string) => {
      const r = await e.gantry(args);
      assert.equal(r.exitCode, 0, `${what}: gantry ${args.join(' ')}: ${r.stderr}`);
      return r;
    };
    /** The next commands clean up: the killed run's container goes (its shim, or their prune). */
    const settled = async (point: string) => {
      const until = Date.now() + 30_000;
      for (;;) {
        const ls = await ok(['container', 'ls', '-a', '--format', 'json'], point);
        if ((JSON.parse(ls.stdout || '[]') as unknown[]).length === 0) return;
        assert.ok(Date.now() < until, `${point}: still listed after 30 s: ${ls.stdout}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    };
    const serve = async (point: string) => {
      const name = `served${process.pid}`;
      scope.containers.push(name);
      const run = ['container', 'run', '-d', '--rm', '--name', name, '-p', `${port}:8080`, IMG];
      await ok([...run, 'httpd', '-f', '-p', '8080', '-h', '/etc'], point);
      for (const v of vethsOf(e.root)) veths.add(v);
      assert.ok((await answer(port)).trim().length > 0, `${point}: the port answers`);
      await ok(['container', 'rm', '-f', name], point);
      await settled(point);
    };
    const args = (name: string) => [
      'container',
      'run',
      '--rm',
      '--name',
      name,
      '-p',
      `${port}:8080`,
      IMG,
      'sleep',
      '0.3',
    ];
    const t0 = Date.now();
    await ok(args(`calib${process.pid}`), 'calibration');
    const span = Date.now() - t0;
    scope.containers.push(`calib${process.pid}`);
    t.diagnostic(`run -p took ${span} ms`);
    await settled('calibration');
    let kills = 0;
    for (let i = 0; kills < POINTS; i++) {
      assert.ok(i < POINTS * 3, `only ${kills} of ${i} attempts were killed before finishing`);
      const delay = Math.floor(rnd() * span);
      const name = `crashp${process.pid}-${i}`;
      scope.containers.push(name);
      const killed = await killAfter(args(name), e.env, undefined, delay);
      const point = `run -p killed at ${delay} ms (attempt ${i}, seed ${SEED})`;
      if (killed) kills++;
      else t.diagnostic(`run -p finished before ${delay} ms`);
      for (const v of vethsOf(e.root)) veths.add(v);
      await settled(point);
      if (i % 4 === 3) await serve(point);
    }
    await serve('final');
    await ok(['network', 'rm', 'bridge'], 'final network rm');
    assert.deepEqual(
      leaksSince(before, snapshotHost(scope, veths), keptByDesign),
      [],
      'root after the bridge is removed',
    );
  },
);
