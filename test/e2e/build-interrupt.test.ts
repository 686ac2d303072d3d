// An interrupted build leaves nothing: Ctrl-C (SIGINT) during a RUN on the build bridge exits
// 130 at once with no container, temp dir, mount, namespace or bridge endpoint left; after a
// kill -9 mid-RUN the next build removes the dead build's container, temp dirs and namespace,
// and reuses the steps cached before the kill.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot, type E2eRoot } from '../helpers/engine-e2e.ts';
import { buildContext, startBuild } from '../helpers/build-context.ts';

const IMG = 'gantry-test/busybox:latest';

function leftovers(r: E2eRoot, pid: number): string[] {
  const left: string[] = [];
  const containers = join(r.root, 'containers');
  for (const n of readdirSync(containers)) if (n.startsWith('build-')) left.push(`container ${n}`);
  for (const n of readdirSync(join(r.root, 'build', 'tmp'))) left.push(`temp ${n}`);
  for (const n of existsSync('/run/netns') ? readdirSync('/run/netns') : [])
    if (n.includes(`-${pid}-`) && n.startsWith('gantry-b')) left.push(`netns ${n}`);
  if (readFileSync('/proc/self/mountinfo', 'utf8').includes(r.root)) left.push('a mount under the root');
  const net = join(r.root, 'networks', 'gantry-build.json');
  if (existsSync(net)) {
    const eps = (JSON.parse(readFileSync(net, 'utf8')) as { endpoints: unknown[] }).endpoints;
    if (eps.length > 0) left.push(`${eps.length} endpoint(s) on the build bridge`);
  }
  return left;
}

test('image build interrupted: SIGINT and kill -9 leave nothing behind', { timeout: 600_000 }, async (t) => {
  const r = await e2eRoot(t.after.bind(t));
  const dir = buildContext(r, 'slow', {
    'f.txt': 'f\n',
    Dockerfile: `FROM ${IMG}\nCOPY f.txt /f\nRUN echo one > /one\nRUN sleep 60\n`,
  });

  await t.test('SIGINT during a RUN exits 130 at once and leaves nothing', async () => {
    const child = await startBuild(r, dir);
    const t0 = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((res) => child.once('exit', (c) => res(c)));
    assert.equal(code, 130);
    assert.ok(Date.now() - t0 < 20_000, `took ${Date.now() - t0} ms`);
    assert.deepEqual(leftovers(r, child.pid!), []);
  });
  await t.test('kill -9 during a RUN: the next build removes what it left and reuses the cache', async () => {
    const child = await startBuild(r, dir);
    child.kill('SIGKILL');
    await new Promise((res) => child.once('exit', res));
    const fixed = buildContext(r, 'slow', {
      Dockerfile: `FROM ${IMG}\nCOPY f.txt /f\nRUN echo one > /one\nRUN echo done\n`,
    });
    const next = await r.gantry(['image', 'build', fixed]);
    assert.equal(next.exitCode, 0, next.stderr);
    assert.deepEqual(
      next.stderr.split('\n').flatMap((l) => /^#\d+ (CACHED|DONE)/.exec(l)?.[1] ?? []),
      ['CACHED', 'CACHED', 'DONE'],
    );
    assert.deepEqual(leftovers(r, child.pid!), []);
  });
});
