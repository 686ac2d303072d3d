// kill -9 of a gantry command at random points of `up`, `down`, `container run --rm` (with
// --network none: its default bridge under kill is not covered here yet) and `image pull` (from
// a local docker-registry). Kill delays are random ms after spawn, drawn from a seeded generator
// (GANTRY_CRASH_SEED; the seed is printed) within the command's measured duration. After every
// kill the next up/down/ps succeeds, both image stores are consistent,
// the named volume still holds its data, and after the final down nothing of the root (nor of the
// killed commands' TMPDIR) is left.
// GANTRY_CRASH_POINTS sets the number of kills (CI: 52; bench/crash.sh runs more).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { runGantry } from '../helpers/cli.ts';
import { killAfter, random } from '../helpers/crash-kill.ts';
import { startRegistry } from '../helpers/registry.ts';
import { ensureTestImages } from '../helpers/test-images.ts';
import { keptByDesign, leaksSince, snapshotHost, vethsOf } from '../helpers/host-snapshot.ts';
import { scopeOf, stackYaml, startsRecorded } from '../helpers/reliability-stack.ts';
import { storeProblems } from '../helpers/store-check.ts';

const POINTS = Number(process.env['GANTRY_CRASH_POINTS'] ?? 52);
const SEED = Number(process.env['GANTRY_CRASH_SEED'] ?? Date.now() % 1_000_000);
const WORKERS = 1; // 3 services: web (published port), writer (volume), one plain, on two networks
const IMG = 'gantry-test/busybox:latest';

interface Target {
  readonly name: string;
  readonly args: readonly string[];
  readonly root: 'project' | 'pull';
  /** Puts the root where the command starts from (up: nothing up; down: the stack up). */
  prepare(): Promise<void>;
  /** After the kill: what must work next, asserted. */
  recover(point: string): Promise<void>;
}

test(
  `${POINTS} kill -9 points across up, down, container run --rm and image pull leave gantry usable and nothing leaked`,
  // A guard against a hang, not a bound on speed: every command it runs has its own 120 s bound and
  // the attempts are capped, but ~15 CLI starts per 4 points took over 30 minutes at load 25.
  { timeout: 90 * 60_000 },
  async (t) => {
    t.diagnostic(`seed ${SEED} (GANTRY_CRASH_SEED=${SEED} replays it)`);
    const rnd = random(SEED);
    const e = await e2eRoot((fn) => t.after(fn));
    const reg = await startRegistry();
    t.after(() => reg.stop());
    await reg.push(`oci:${ensureTestImages().ociLayout}:latest`, 'gantry-test/busybox:latest');
    const pullRoot = mkdtempSync(join(tmpdir(), `gantry-crash-pull-${process.pid}-`));
    t.after(() => rmSync(pullRoot, { recursive: true, force: true }));
    // The killed commands' temp dir: whatever a kill -9 leaves there (once, the `ip -n` launcher's
    // stderr scratch) is a leak no later command can find.
    const killTmp = mkdtempSync(join(tmpdir(), `gantry-crash-tmp-${process.pid}-`));
    t.after(() => rmSync(killTmp, { recursive: true, force: true }));
    const envOf = (root: string): NodeJS.ProcessEnv => ({
      PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      GANTRY_ROOT: root,
      HOME: root,
      TMPDIR: killTmp,
    });
    const pullG = (args: readonly string[]) =>
      runGantry(args, { env: envOf(pullRoot), cwd: pullRoot, timeoutMs: 120_000 });
    const remote = `${reg.host}/gantry-test/busybox:latest`;

    const name = `crash${process.pid}`;
    const dir = e.project(name, { 'compose.yaml': stackYaml(name, WORKERS) });
    const runNames: string[] = [];
    const scope = () => scopeOf(e.root, name, WORKERS, runNames);
    const before = snapshotHost(scope());
    const pullBefore = snapshotHost({ root: pullRoot, networkIds: [], containers: [] });
    const veths = new Set<string>();
    const ok = async (args: readonly string[], what: string) => {
      const r = await e.gantry(args, { cwd: dir });
      assert.equal(r.exitCode, 0, `${what}: gantry ${args.join(' ')}: ${r.stderr}`);
      return r;
    };
    let starts = 0;
    const volumeKept = (point: string) => {
      const now = startsRecorded(e.root, name);
      assert.ok(now !== undefined && now >= starts, `${point}: the volume lost its data (${now} < ${starts})`);
      starts = now;
    };
    let isUp = false; // recoveries chain: a killed up is recovered by up, which is where down starts
    const upAll = async (point: string) => {
      await ok(['up', '-d'], point);
      isUp = true;
      for (const v of vethsOf(e.root)) veths.add(v);
      const ps = JSON.parse((await ok(['ps', '-a', '--format', 'json'], point)).stdout) as { State: string }[];
      assert.deepEqual(
        ps.map((p) => p.State),
        ['running', 'running', 'running'],
        `${point}: ps after up: ${JSON.stringify(ps)}`,
      );
      volumeKept(point);
    };
    const downAll = async (point: string) => {
      await ok(['down', '-t', '1'], point);
      isUp = false;
      assert.equal((await ok(['ps', '-a', '-q'], point)).stdout, '', `${point}: ps after down`);
      volumeKept(point);
    };
    const storesOk = (point: string) => {
      assert.deepEqual(storeProblems(join(e.root, 'images')), [], `${point}: project store`);
      assert.deepEqual(storeProblems(join(pullRoot, 'images')), [], `${point}: pull store`);
    };

    const targets: Target[] = [
      {
        name: 'up',
        args: ['up', '-d'],
        root: 'project',
        prepare: async () => {
          if (isUp) await downAll('before up');
        },
        recover: (p) => upAll(p), // up, then ps
      },
      {
        name: 'down',
        args: ['down', '-t', '1'],
        root: 'project',
        prepare: async () => {
          if (!isUp) await upAll('before down');
        },
        recover: (p) => downAll(p), // down, then ps -a
      },
      {
        name: 'run',
        args: [], // set per point: a fresh container name each time
        root: 'project',
        prepare: async () => {},
        recover: async (p) => {
          const r = await ok(['container', 'run', '--rm', '--network', 'none', IMG, 'sh', '-c', 'echo alive'], p);
          assert.equal(r.stdout, 'alive\n', p);
          const inspect = await ok(['image', 'inspect', IMG], p);
          assert.match(inspect.stdout, /sha256:/, p);
        },
      },
      {
        name: 'pull',
        args: ['image', 'pull', remote],
        root: 'pull',
        prepare: async () => {},
        recover: async (p) => {
          assert.equal((await pullG(['image', 'ls'])).exitCode, 0, `${p}: image ls`);
          assert.deepEqual(storeProblems(join(pullRoot, 'images')), [], `${p}: store after the kill`);
          const again = await pullG(['image', 'pull', remote]);
          assert.equal(again.exitCode, 0, `${p}: pull again: ${again.stderr}`);
          assert.equal((await pullG(['image', 'inspect', remote])).exitCode, 0, p);
          // Emptied again, so the next point pulls every layer anew.
          assert.equal((await pullG(['image', 'rm', remote])).exitCode, 0, p);
          assert.equal((await pullG(['image', 'prune'])).exitCode, 0, p);
        },
      },
    ];

    // Each command's own duration (not killed) bounds its kill delays.
    const span = new Map<string, number>();
    for (const tg of targets) {
      await tg.prepare();
      const args =
        tg.name === 'run' ? ['container', 'run', '--rm', '--network', 'none', IMG, 'sh', '-c', 'sleep 0.3'] : tg.args;
      const t0 = Date.now();
      const r = await runGantry(args, {
        env: envOf(tg.root === 'pull' ? pullRoot : e.root),
        cwd: tg.root === 'pull' ? pullRoot : dir,
        timeoutMs: 120_000,
      });
      span.set(tg.name, Date.now() - t0);
      assert.equal(r.exitCode, 0, `${tg.name} unkilled: ${r.stderr}`);
      if (tg.name === 'pull') await targets[3]!.recover('calibration');
    }
    t.diagnostic(`durations ms: ${[...span].map(([k, v]) => `${k} ${v}`).join(', ')}`);

    let kills = 0;
    for (let i = 0; kills < POINTS; i++) {
      assert.ok(i < POINTS * 3, `only ${kills} of ${i} attempts were killed before finishing`);
      const tg = targets[i % targets.length]!;
      await tg.prepare();
      const delay = Math.floor(rnd() * span.get(tg.name)!);
      const runName = `${name}-run${i}`;
      if (tg.name === 'run') runNames.push(runName);
      const args =
        tg.name === 'run'
          ? ['container', 'run', '--rm', '--network', 'none', '--name', runName, IMG, 'sh', '-c', 'sleep 0.3']
          : tg.args;
      const killed = await killAfter(
        args,
        envOf(tg.root === 'pull' ? pullRoot : e.root),
        tg.root === 'pull' ? pullRoot : dir,
        delay,
      );
      const point = `${tg.name} killed at ${delay} ms (attempt ${i}, seed ${SEED})`;
      if (killed) kills++;
      else {
        // It ran shorter than at calibration (the load fell): later delays stay inside what it takes now,
        // or most attempts would come after the finish (48 kills of 156 attempts once, calibrated at load 30).
        span.set(tg.name, Math.max(1, Math.floor(delay * 0.9)));
        t.diagnostic(`${tg.name} finished before ${delay} ms`);
      }
      await tg.recover(point);
      storesOk(point);
    }

    await downAll('final down');
    // A killed `run --rm` is removed by its shim at exit, or by the prune of the next command.
    await ok(['container', 'run', '--rm', '--network', 'none', IMG, 'true'], 'final run');
    await ok(['down'], 'final prune');
    const skeleton = (f: string) =>
      keptByDesign(f) ||
      f.startsWith(`volumes/${name}_data`) ||
      // Anonymous volumes (the image's VOLUME /data) outlive a plain `down`, as in Compose.
      /^volumes\/[0-9a-f]{64}(\/|$)/.test(f);
    assert.deepEqual(
      leaksSince(before, snapshotHost(scope(), veths), skeleton),
      [],
      'project root after the final down',
    );
    assert.deepEqual(
      leaksSince(pullBefore, snapshotHost({ root: pullRoot, networkIds: [], containers: [] }), (f) =>
        /^images(\/(blobs(\/sha256)?|layers|tmp|locks|oci-layout|index\.json))?$/.test(f),
      ),
      [],
      'pull root after rm + prune',
    );
    assert.deepEqual(readdirSync(killTmp), [], "left in the killed commands' TMPDIR");
  },
);
