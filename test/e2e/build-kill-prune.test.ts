// A build killed with kill -9 during a RUN on the build bridge leaves its RUN container running in
// the pooled build namespace it leased (engine/ops/build-network.ts), the namespace's veth and the
// `gantry-build` bridge with its firewall rules. `network prune` collects them all (the container,
// then the pooled namespace no live build holds, then the bridge nothing uses); a command that takes
// a project lock collects the container and frees the lease (the namespace and the bridge stay, as
// after a build that ended).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { e2eRoot, type E2eRoot } from '../helpers/engine-e2e.ts';
import { buildContext, startBuild } from '../helpers/build-context.ts';
import { buildNetnsPrefix, buildPoolDir } from '../../src/engine/ops/killed-builds.ts';

const IMG = 'gantry-test/busybox:latest';

interface BuildTraces {
  readonly pid: number;
  readonly netns: readonly string[];
  readonly bridge: string;
  readonly veths: readonly string[];
}

/** Starts a build whose RUN sleeps, kills it with kill -9 once the RUN runs; what it had made. */
async function killedBuild(r: E2eRoot, dir: string): Promise<BuildTraces> {
  const child = await startBuild(r, dir);
  child.kill('SIGKILL');
  await new Promise((res) => child.once('exit', res));
  const net = JSON.parse(readFileSync(join(r.root, 'networks', 'gantry-build.json'), 'utf8')) as {
    bridge: string;
    endpoints: { hostVeth: string }[];
  };
  const traces = {
    pid: child.pid!,
    netns: readdirSync('/run/netns').filter((n) => n.startsWith(`${buildNetnsPrefix(r.root)}pool-`)),
    bridge: net.bridge,
    veths: net.endpoints.map((e) => e.hostVeth),
  };
  // All there first, or the test would pass on nothing.
  assert.equal(traces.netns.length, 1, 'the build had its pooled namespace');
  assert.equal(traces.veths.length, 1, 'and its endpoint on the build bridge');
  assert.equal(leftOnHost(r, traces, true).length, 5, leftOnHost(r, traces, true).join(', '));
  return traces;
}

/** Which of the traces are still on the host, read from the host itself (and the state root's containers). */
function leftOnHost(r: E2eRoot, t: BuildTraces, withBridge: boolean): string[] {
  const left: string[] = [];
  for (const c of readdirSync(join(r.root, 'containers'))) if (c.startsWith(`build-${t.pid}-`)) left.push(`RUN ${c}`);
  for (const n of t.netns) if (existsSync(`/run/netns/${n}`)) left.push(`netns ${n}`);
  for (const v of t.veths) if (existsSync(`/sys/class/net/${v}`)) left.push(`veth ${v}`);
  if (withBridge && existsSync(`/sys/class/net/${t.bridge}`)) left.push(`bridge ${t.bridge}`);
  if (withBridge && execFileSync('iptables-save', { encoding: 'utf8' }).includes(t.bridge))
    left.push(`iptables rules of ${t.bridge}`);
  return left;
}

test(
  'a build killed with kill -9: network prune and the next locked command collect what it left',
  { timeout: 600_000 },
  async (t) => {
    const r = await e2eRoot(t.after.bind(t));
    const dir = buildContext(r, 'slow', { Dockerfile: `FROM ${IMG}\nRUN sleep 60\n` });

    await t.test('network prune removes its RUN container, namespace, veth, the bridge and its rules', async () => {
      const traces = await killedBuild(r, dir);
      const prune = await r.gantry(['network', 'prune']);
      assert.equal(prune.exitCode, 0, prune.stderr);
      assert.deepEqual(leftOnHost(r, traces, true), []);
      assert.match(prune.stdout, new RegExp(`^${traces.netns[0]} \\(build namespace\\)$`, 'm'));
      assert.match(prune.stdout, /^gantry-build$/m);
    });

    await t.test('a locked command (down) removes its RUN container and frees its lease', async () => {
      const traces = await killedBuild(r, dir);
      const project = r.project('other', { 'compose.yaml': `services:\n  a:\n    image: ${IMG}\n` });
      const down = await r.gantry(['down'], { cwd: project });
      assert.equal(down.exitCode, 0, down.stderr);
      // The pooled namespace and its veth stay for the next build, as after a build that ended.
      assert.deepEqual(
        leftOnHost(r, traces, false),
        traces.netns.map((n) => `netns ${n}`).concat(traces.veths.map((v) => `veth ${v}`)),
      );
      const pool = buildPoolDir(r.root);
      assert.deepEqual(existsSync(pool) ? readdirSync(pool) : [], [], "the dead build's lease is freed");
      // Nothing uses the bridge but the pool, so prune takes them all.
      const prune = await r.gantry(['network', 'prune']);
      assert.equal(prune.exitCode, 0, prune.stderr);
      assert.deepEqual(leftOnHost(r, traces, true), []);
    });
  },
);
