// `gantry image build` through the built CLI on the real runtime: a Dockerfile FROM the busybox
// test image (WORKDIR, COPY, RUN writing a file and deleting one of the base, ENV, CMD) runs as
// built; a second build is fully cached (same image id); editing one copied file rebuilds that
// step and after only; COPY --from a stage, and a stage the target does not need is not run; a
// failing RUN prints its output tail and exit code, exits non-zero and leaves nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { spawn } from 'node:child_process';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { buildContext } from '../helpers/build-context.ts';
import { GANTRY_BIN } from '../helpers/cli.ts';

const IMG = 'gantry-test/busybox:latest';

const context = buildContext;

/** `#N CACHED` / `#N DONE` per step label, in order. */
function outcomes(stderr: string): string[] {
  const labels = new Map<string, string>();
  const out: string[] = [];
  for (const line of stderr.split('\n')) {
    const m = /^#(\d+) (.*)$/.exec(line);
    if (!m) continue;
    if (!labels.has(m[1]!)) labels.set(m[1]!, m[2]!.replace(/^\[[^\]]*\] /, ''));
    else if (/^(CACHED|DONE)/.test(m[2]!)) out.push(`${labels.get(m[1]!)}: ${m[2]!.split(' ')[0]}`);
  }
  return out;
}

const idOf = (stderr: string): string => /writing image (sha256:[0-9a-f]{64})/.exec(stderr)?.[1] ?? '';

test(
  'image build: run the result, cache, one file changed, multi-stage, failing RUN',
  { timeout: 600_000 },
  async (t) => {
    const r = await e2eRoot(t.after.bind(t));
    const dir = context(r, 'app', {
      'a.txt': 'alpha\n',
      'b.txt': 'beta\n',
      Dockerfile: `FROM ${IMG}
WORKDIR /app
COPY a.txt ./
COPY b.txt /app/
RUN echo built > made.txt && rm /etc/layer3 && rm -rf /opq && mkdir /opq && echo new > /opq/fresh
ENV GREETING=hi
CMD ["sh", "-c", "cat /app/a.txt /app/b.txt /app/made.txt; echo $GREETING; pwd; ls /etc/layer3 2>&1 || true"]
`,
    });
    await t.test('build, then container run shows WORKDIR, COPY, RUN (with a whiteout), ENV and CMD', async () => {
      const b = await r.gantry(['image', 'build', '-t', 'app:1', dir]);
      assert.equal(b.exitCode, 0, b.stderr);
      const run = await r.gantry(['container', 'run', '--rm', 'app:1']);
      assert.equal(run.exitCode, 0, run.stderr);
      const lines = run.stdout.trim().split('\n');
      assert.deepEqual(lines.slice(0, 5), ['alpha', 'beta', 'built', 'hi', '/app']);
      assert.match(lines[5] ?? '', /No such file/); // deleted from the base: an OCI whiteout in the RUN layer
      const ls = await r.gantry(['image', 'ls']);
      assert.match(ls.stdout, /app\s+1/);
      const opq = await r.gantry(['container', 'run', '--rm', 'app:1', 'ls', '/opq']);
      assert.equal(opq.stdout, 'fresh\n'); // the base's /opq/upper is hidden by the opaque dir
      // The saved image carries the RUN layer as OCI says: a .wh. file and an opaque-dir marker.
      const out = join(r.root, 'app.tar');
      assert.equal((await r.gantry(['image', 'save', '-o', out, 'app:1'])).exitCode, 0);
      const x = join(r.root, 'saved');
      mkdirSync(x);
      execFileSync('tar', ['-xf', out, '-C', x]);
      const layers = (JSON.parse(readFileSync(join(x, 'manifest.json'), 'utf8')) as { Layers: string[] }[])[0]!.Layers;
      const listing = execFileSync('tar', ['-tzf', join(x, layers.at(-1)!)])
        .toString()
        .split('\n');
      assert.ok(listing.includes('etc/.wh.layer3'), listing.join(' '));
      assert.ok(listing.includes('opq/.wh..wh..opq'), listing.join(' '));
      assert.ok(listing.includes('app/made.txt'), listing.join(' '));
    });
    await t.test('a second build is fully cached and gives the same image', async () => {
      const first = await r.gantry(['image', 'build', '-t', 'app:1', dir]);
      const t0 = Date.now();
      const again = await r.gantry(['image', 'build', '-t', 'app:1', dir]);
      const ms = Date.now() - t0;
      assert.equal(again.exitCode, 0, again.stderr);
      assert.deepEqual(
        outcomes(again.stderr).map((o) => o.split(': ').pop()),
        ['CACHED', 'CACHED', 'CACHED', 'CACHED'],
      );
      assert.equal(idOf(again.stderr), idOf(first.stderr));
      t.diagnostic(`fully cached build: ${ms} ms (CLI start included)`);
    });
    await t.test('editing one copied file rebuilds that step and after only', async () => {
      writeFileSync(join(dir, 'b.txt'), 'beta two\n');
      const b = await r.gantry(['image', 'build', '-t', 'app:1', dir]);
      assert.equal(b.exitCode, 0, b.stderr);
      assert.deepEqual(outcomes(b.stderr), [
        'WORKDIR /app: CACHED',
        'COPY a.txt ./: CACHED',
        'COPY b.txt /app/: DONE',
        'RUN echo built > made.txt && rm /etc/layer3 && rm -rf /opq && mkdir /opq && echo new > /opq/fresh: DONE',
      ]);
      const run = await r.gantry(['container', 'run', '--rm', 'app:1', 'cat', '/app/b.txt']);
      assert.equal(run.stdout, 'beta two\n');
    });
    await t.test('multi-stage: COPY --from a stage; a stage the target does not need is not run', async () => {
      const ms = context(r, 'multi', {
        Dockerfile: `FROM ${IMG} AS broken
RUN echo this stage must not run; exit 9

FROM ${IMG} AS builder
RUN mkdir -p /out/sub && echo compiled > /out/sub/prog && echo extra > /out/extra

FROM ${IMG} AS final
COPY --from=builder /out/ /dist/
CMD ["cat", "/dist/sub/prog", "/dist/extra"]

FROM final AS later
RUN exit 7
`,
      });
      const b = await r.gantry(['image', 'build', '--target', 'final', '-t', 'multi:1', ms]);
      assert.equal(b.exitCode, 0, b.stderr);
      assert.doesNotMatch(b.stderr, /must not run|exit 7/);
      const run = await r.gantry(['container', 'run', '--rm', 'multi:1']);
      assert.equal(run.stdout, 'compiled\nextra\n', run.stderr);
    });
    await t.test(
      'a failing RUN prints its output tail and exit code, leaves nothing, and the next build reuses the cache',
      async () => {
        const fail = context(r, 'fail', {
          'f.txt': 'f\n',
          Dockerfile: `FROM ${IMG}
COPY f.txt /f.txt
RUN echo first line; echo about to fail >&2; exit 3
`,
        });
        const before = readdirSync(join(r.root, 'containers')).sort();
        const b = await r.gantry(['image', 'build', '-t', 'fail:1', fail]);
        assert.notEqual(b.exitCode, 0);
        assert.match(b.stderr, /about to fail/);
        assert.match(b.stderr, /Dockerfile:3: RUN .*exit code: 3/);
        assert.deepEqual(readdirSync(join(r.root, 'containers')).sort(), before, 'no build container left');
        assert.deepEqual(readdirSync(join(r.root, 'build', 'tmp')), [], 'no temp layer dir left');
        assert.ok(!readFileSync('/proc/self/mountinfo', 'utf8').includes(r.root), 'no mount left');
        const cgroups = readFileSync('/proc/self/cgroup', 'utf8'); // our own: build containers never join it
        assert.doesNotMatch(cgroups, /build-/);
        writeFileSync(join(fail, 'Dockerfile'), `FROM ${IMG}\nCOPY f.txt /f.txt\nRUN echo fixed\n`);
        const ok = await r.gantry(['image', 'build', '-t', 'fail:1', fail]);
        assert.equal(ok.exitCode, 0, ok.stderr);
        assert.deepEqual(outcomes(ok.stderr), ['COPY f.txt /f.txt: CACHED', 'RUN echo fixed: DONE']);
        assert.ok(
          !existsSync(join(r.root, 'images', 'tmp')) || readdirSync(join(r.root, 'images', 'tmp')).length === 0,
        );
      },
    );
    await t.test('a build killed (-9) mid-RUN: the next build removes its container and temp dirs', async () => {
      const slow = context(r, 'slow', { Dockerfile: `FROM ${IMG}\nRUN sleep 60\n` });
      const child = spawn(process.execPath, [GANTRY_BIN, 'image', 'build', slow], { env: r.env, stdio: 'ignore' });
      const containers = join(r.root, 'containers');
      const deadline = Date.now() + 60_000;
      while (!(existsSync(containers) && readdirSync(containers).some((n) => n.startsWith('build-')))) {
        assert.ok(Date.now() < deadline, 'the RUN container never appeared');
        await new Promise((res) => setTimeout(res, 100));
      }
      await new Promise((res) => setTimeout(res, 500));
      child.kill('SIGKILL');
      await new Promise((res) => child.once('exit', res));
      const next = await r.gantry(['image', 'build', '-q', dir]);
      assert.equal(next.exitCode, 0, next.stderr);
      assert.deepEqual(
        readdirSync(containers).filter((n) => n.startsWith('build-')),
        [],
      );
      assert.deepEqual(readdirSync(join(r.root, 'build', 'tmp')), []);
    });
  },
);
