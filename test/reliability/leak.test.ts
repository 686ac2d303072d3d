// N `up -d`/`down` cycles of a 10-service stack leave the host exactly as it was: links,
// bridges, netns (and nsfs mounts), mounts, cgroups, processes, iptables/nft rules and state
// files of this root (see host-snapshot.ts for the scoping). The named volume keeps its data
// through every `down` and goes with `down -v`. GANTRY_LEAK_CYCLES overrides N (CI: 20).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import {
  keptByDesign,
  leaksSince,
  projectRecords,
  sharedFilters,
  snapshotHost,
  vethsOf,
} from '../helpers/host-snapshot.ts';
import { scopeOf, stackYaml, startsRecorded } from '../helpers/reliability-stack.ts';

/** The project supervisor's resident memory right after up (0 if none runs). */
function supervisorRssKb(root: string, project: string): number {
  try {
    const pid = readFileSync(join(root, 'projects', project, 'supervisor.pid'), 'utf8').split(' ')[0];
    return Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

const CYCLES = Number(process.env['GANTRY_LEAK_CYCLES'] ?? 20);

test(
  `${CYCLES} up -d/down cycles of a 10-service stack leak nothing; the volume survives down, not down -v`,
  { timeout: 30 * 60_000 },
  async (t) => {
    const e = await e2eRoot((fn) => t.after(fn));
    const name = `leak${process.pid}`;
    const dir = e.project(name, { 'compose.yaml': stackYaml(name) });
    const scope = scopeOf(e.root, name);
    const before = snapshotHost(scope);
    let anonSeen = 0;
    let filtersSeen: string[] = [];
    let recordsSeen: string[] = [];
    const veths = new Set<string>();
    const durations: number[] = [];
    const rss: number[] = [];
    for (let i = 1; i <= CYCLES; i++) {
      const t0 = Date.now();
      const up = await e.gantry(['up', '-d'], { cwd: dir });
      assert.equal(up.exitCode, 0, `cycle ${i} up: ${up.stderr}`);
      for (const v of vethsOf(e.root)) veths.add(v);
      rss.push(supervisorRssKb(e.root, name));
      if (i === 1) {
        // The snapshot sees the stack while it is up, so an empty difference later means something.
        // (Rootfs mounts live in the containers' own mount namespaces: the host sees only nsfs ones.)
        const up1 = leaksSince(before, snapshotHost(scope, veths)).join('\n');
        for (const kind of ['links', 'netns', 'cgroups', 'processes', 'firewall', 'files'])
          assert.match(up1, new RegExp(`^\\+${kind}: `, 'm'), kind);
      }
      const down = await e.gantry(['down', '-t', '1'], { cwd: dir });
      assert.equal(down.exitCode, 0, `cycle ${i} down: ${down.stderr}`);
      durations.push(Date.now() - t0);
      assert.equal(startsRecorded(e.root, name), i, `cycle ${i}: the volume holds every start so far`);
      // The image's VOLUME /data gives each container an anonymous volume that plain `down` keeps, as
      // Compose does; its name comes from the container's, so the next cycle reuses it (count checked).
      const anonymous = (f: string) => /^volumes\/[0-9a-f]{64}(\/|$)/.test(f);
      const volume = (f: string) => f.startsWith(`volumes/${name}_data`) || anonymous(f);
      const after = snapshotHost(scope, veths);
      const anonCount = leaksSince(before, after, (f) => !anonymous(f)).length;
      if (i === 1) anonSeen = anonCount;
      assert.equal(anonCount, anonSeen, `cycle ${i}: anonymous volumes are reused, not added`);
      if (i === 1) filtersSeen = sharedFilters(e.root);
      assert.deepEqual(sharedFilters(e.root), filtersSeen, `cycle ${i}: the shared seccomp filters are reused`);
      if (i === 1) recordsSeen = projectRecords(e.root);
      assert.deepEqual(projectRecords(e.root), recordsSeen, `cycle ${i}: the project records are rewritten, not added`);
      assert.deepEqual(
        leaksSince(before, after, (f) => keptByDesign(f) || volume(f)),
        [],
        `cycle ${i}`,
      );
    }
    assert.ok(veths.size >= 15, `saw the stack's veths (${veths.size})`); // 10 on default, 5 on back
    const mean = (xs: readonly number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
    t.diagnostic(
      `cycle ms: first ${durations[0]}, last ${durations.at(-1)}, mean ${mean(durations)}, max ${Math.max(...durations)}`,
    );
    t.diagnostic(`supervisor RSS kB: first ${rss[0]}, last ${rss.at(-1)}, max ${Math.max(...rss)}`);
    const up = await e.gantry(['up', '-d'], { cwd: dir });
    assert.equal(up.exitCode, 0, up.stderr);
    const downV = await e.gantry(['down', '-v', '-t', '1'], { cwd: dir });
    assert.equal(downV.exitCode, 0, downV.stderr);
    assert.equal(startsRecorded(e.root, name), undefined, 'down -v removed the volume');
    assert.deepEqual(leaksSince(before, snapshotHost(scope, veths), keptByDesign), []);
  },
);
