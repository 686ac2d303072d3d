// `podman load` of `gantry image save` of an image gantry BUILT runs the same program under
// podman as under gantry. Podman here: vfs storage in a temp dir, no network, runc (crun 1.x
// refuses this host's hybrid cgroup layout: "cgroups in hybrid mode not supported"), and rlimits
// no higher than this process's (podman's defaults, nofile 1048576 and nproc 4194304, cannot be
// set in this sandbox: setrlimit EPERM).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';

const has = (tool: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

test(
  'podman load of a saved built image runs the same program',
  {
    timeout: 300_000,
    skip: !has('podman') || !has('runc') ? 'podman or runc missing (scripts/host-packages.txt)' : false,
  },
  async (t) => {
    const r = await e2eRoot(t.after.bind(t));
    const ctx = join(r.root, 'ctx');
    mkdirSync(ctx);
    writeFileSync(join(ctx, 'message'), `built by gantry ${process.pid}\n`);
    writeFileSync(
      join(ctx, 'Dockerfile'),
      `FROM gantry-test/busybox:latest
WORKDIR /app
COPY message ./
RUN echo "ran at build" > made && rm /etc/layer3
ENV WHO=podman
CMD ["sh", "-c", "cat message made; echo $WHO; pwd; ls /etc/layer3 2>&1 | grep -c 'No such'"]
`,
    );
    assert.equal((await r.gantry(['image', 'build', '-q', '-t', 'seed/app:1', ctx])).exitCode, 0);
    const viaGantry = await r.gantry(['container', 'run', '--rm', '--network', 'none', 'seed/app:1']);
    assert.equal(viaGantry.exitCode, 0, viaGantry.stderr);
    assert.equal(viaGantry.stdout, `built by gantry ${process.pid}\nran at build\npodman\n/app\n1\n`);

    const out = join(r.root, 'app.tar');
    assert.equal((await r.gantry(['image', 'save', '-o', out, 'seed/app:1'])).exitCode, 0);
    const pd = join(r.root, 'podman');
    const podman = (...args: string[]): string =>
      execFileSync(
        'podman',
        ['--root', join(pd, 'root'), '--runroot', join(pd, 'run'), '--storage-driver', 'vfs', ...args],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
    // Reset before the root goes: an `after` hook would run once e2eRoot's has removed it, and podman would make
    // its directories again under /tmp.
    try {
      assert.match(podman('load', '-i', out), /Loaded image: docker.io\/seed\/app:1/);
      const limits = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];
      const viaPodman = podman(
        'run',
        '--rm',
        '--network',
        'none',
        '--runtime',
        'runc',
        '--cgroup-manager',
        'cgroupfs',
        ...limits,
        'seed/app:1',
      );
      assert.equal(viaPodman, viaGantry.stdout);
    } finally {
      podman('system', 'reset', '--force');
    }
  },
);
