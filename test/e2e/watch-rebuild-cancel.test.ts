// A rebuild in flight through the built CLI: an edit that arrives while the previous edit's build
// sits in a slow RUN cancels that build (its RUN container goes at once) and the service ends up
// on one image, with the newer edit; Ctrl-C during a slow RUN exits at once, leaves no RUN
// container, temp dir or mount behind, and the old container keeps running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { E2eRoot } from '../helpers/engine-e2e.ts';
import { rebuildProject, shIn, TEST_IMAGE, watchedProject } from '../helpers/watch-cli.ts';

// The RUN sleeps only when the page says so: "slow" edits make a build that would take minutes.
const DOCKERFILE = `FROM ${TEST_IMAGE}
COPY index.html /www/
RUN if grep -q slow /www/index.html; then sleep 300; fi
CMD ["sleep", "3600"]
`;

/** The build's RUN containers of the CLI process `pid` (named build-PID-…) in the state root. */
const runContainers = (r: E2eRoot, pid: number): string[] =>
  readdirSync(join(r.root, 'containers')).filter((n) => n.startsWith(`build-${pid}-`));

async function untilRunContainer(r: E2eRoot, pid: number): Promise<string> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const [name] = runContainers(r, pid);
    if (name) return name;
    assert.ok(Date.now() < deadline, 'the slow RUN container never appeared');
    await new Promise((res) => setTimeout(res, 50));
  }
}

function leftovers(r: E2eRoot, pid: number): string[] {
  const left = runContainers(r, pid).map((n) => `container ${n}`);
  const tmp = join(r.root, 'build', 'tmp');
  for (const n of existsSync(tmp) ? readdirSync(tmp) : []) left.push(`temp ${n}`);
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
  for (const m of mounts) if (m.includes(join(r.root, 'containers', `build-${pid}-`))) left.push(`mount ${m}`);
  return left;
}

test(
  'watch rebuild: newer changes cancel a build in flight; Ctrl-C mid-build leaves nothing',
  { timeout: 600_000 },
  async (t) => {
    const { r, dir, w } = await watchedProject(
      t,
      (root) => rebuildProject(root, `wc${process.pid}`, { Dockerfile: DOCKERFILE, 'index.html': 'fast v1\n' }),
      { readyMs: 180_000 },
    );
    const pid = w.child.pid!;

    // Edit 1 starts a build that sleeps in its RUN; edit 2 lands during that RUN.
    writeFileSync(join(dir, 'app', 'index.html'), 'slow v2\n');
    const first = await untilRunContainer(r, pid);
    writeFileSync(join(dir, 'app', 'index.html'), 'fast v3\n');
    await w.waitFor(/^app {2}rebuild {2}\d+ ms {2}cancelled: newer changes$/m, { timeoutMs: 30_000 });
    assert.equal(existsSync(join(r.root, 'containers', first)), false, 'the cancelled build kept its RUN container');
    await w.waitFor(/^app {2}rebuild {2}\d+ ms {2}\(build \d+ ms, replace \d+ ms\)$/m, { timeoutMs: 120_000 });
    assert.equal(await shIn(r, dir, 'app', 'cat /www/index.html'), 'fast v3\n');
    // One image made it to the service: the one with the second edit; nothing else was rebuilt.
    assert.equal(w.stderr().match(/^app {2}rebuild .*\(build/gm)?.length, 1, w.stderr());
    assert.deepEqual(leftovers(r, pid), []);

    // Ctrl-C while a build sleeps in its RUN: out at once, nothing left, the old container still up.
    await shIn(r, dir, 'app', 'touch /tmp/mark');
    writeFileSync(join(dir, 'app', 'index.html'), 'slow v4\n');
    await untilRunContainer(r, pid);
    const t0 = Date.now();
    assert.equal(await w.interrupt(), 0);
    assert.ok(Date.now() - t0 < 20_000, `Ctrl-C took ${Date.now() - t0} ms`);
    assert.deepEqual(leftovers(r, pid), []);
    assert.equal(await shIn(r, dir, 'app', 'cat /www/index.html; test -f /tmp/mark && echo kept'), 'fast v3\nkept\n');
  },
);
