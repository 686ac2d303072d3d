// The build cache beyond one state root, on the real runtime: compose cache_to type=local writes
// the steps of a build to a directory (OCI layout), and `image build --cache-from type=local` in
// another, empty GANTRY_ROOT takes every step from it (nothing runs; same image id and content);
// `--no-cache-filter STAGE` runs that stage again and what depends on its new layers, not the
// rest; RUN --mount=type=cache,from=STAGE,source=PATH starts as that stage's files and is kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { buildContext, runOutput } from '../helpers/build-context.ts';

const IMG = 'gantry-test/busybox:latest';

const output = runOutput;
const steps = (stderr: string): { cached: number; done: number } => ({
  cached: stderr.split('\n').filter((l) => /^#\d+ CACHED$/.test(l)).length,
  done: stderr.split('\n').filter((l) => /^#\d+ DONE /.test(l)).length,
});
const imageId = (inspect: string): string => (JSON.parse(inspect) as { Id: string }[])[0]!.Id;

const APP = `FROM ${IMG}
WORKDIR /app
COPY files/ ./
RUN echo ran-run; cat /proc/sys/kernel/random/uuid > /stamp
CMD ["sh", "-c", "cat /stamp; ls /app"]
`;

test(
  'build cache: export to a directory, import in another root; --no-cache-filter; cache from=',
  {
    timeout: 600_000,
  },
  async (t) => {
    const a = await e2eRoot(t.after.bind(t));
    const b = await e2eRoot(t.after.bind(t));
    const project = `bcache${process.pid}`;
    const dir = a.project(project, {
      'compose.yaml': `name: ${project}
services:
  app:
    build:
      context: ./ctx
      cache_to: ["type=local,dest=./cache"]
`,
    });
    mkdirSync(join(dir, 'ctx', 'files'), { recursive: true });
    writeFileSync(join(dir, 'ctx', 'Dockerfile'), APP);
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, 'ctx', 'files', `f${i}.txt`), `file ${i}\n`);

    await t.test('compose cache_to writes an OCI layout; another empty root builds all CACHED from it', async () => {
      const built = await a.gantry(['build', 'app'], { cwd: dir });
      assert.equal(built.exitCode, 0, built.stderr);
      const cache = join(dir, 'cache');
      assert.ok(existsSync(join(cache, 'index.json')) && existsSync(join(cache, 'oci-layout')), 'an OCI layout');
      const first = await a.gantry(['image', 'inspect', `${project}-app`]);
      const args = ['image', 'build', '--progress', 'plain', '--cache-from', `type=local,src=${cache}`, '-t', 'app:1'];
      const again = await b.gantry([...args, join(dir, 'ctx')]);
      assert.equal(again.exitCode, 0, again.stderr);
      assert.deepEqual(output(again.stderr), [], 'no step ran in the second root: ' + again.stderr);
      assert.deepEqual(steps(again.stderr), { cached: 3, done: 0 });
      const second = await b.gantry(['image', 'inspect', 'app:1']);
      assert.equal(imageId(second.stdout), imageId(first.stdout), 'the same image');
      const runA = await a.gantry(['container', 'run', '--rm', `${project}-app`]);
      const runB = await b.gantry(['container', 'run', '--rm', 'app:1']);
      assert.equal(runB.stdout, runA.stdout, runB.stderr);
      const missing = await b.gantry([
        'image',
        'build',
        '--cache-from',
        `type=local,src=${join(b.root, 'nothing-here')}`,
        join(dir, 'ctx'),
      ]);
      assert.equal(missing.exitCode, 0, 'a missing cache directory is a warning: ' + missing.stderr);
      assert.match(missing.stderr, /cache from .*nothing imported/);
      const registry = await b.gantry(['image', 'build', '--cache-to', 'type=registry,ref=x/y', join(dir, 'ctx')]);
      assert.notEqual(registry.exitCode, 0);
      assert.match(registry.stderr, /--cache-to type=registry,ref=x\/y: only type=local is supported/);
    });

    await t.test('--no-cache-filter runs that stage again and what uses its new layer only', async () => {
      const ctx = buildContext(a, 'filter', {
        Dockerfile: `FROM ${IMG} AS first
RUN echo run-first; cat /proc/sys/kernel/random/uuid > /first
FROM ${IMG} AS other
RUN echo run-other > /other
FROM ${IMG} AS final
COPY --from=first /first /first
COPY --from=other /other /other
RUN echo run-final
`,
      });
      const build = (...extra: string[]) => a.gantry(['image', 'build', '--progress', 'plain', ...extra, ctx]);
      const one = await build();
      assert.equal(one.exitCode, 0, one.stderr);
      assert.deepEqual(output(one.stderr).sort(), ['run-final', 'run-first']);
      const two = await build('--no-cache-filter', 'first');
      assert.equal(two.exitCode, 0, two.stderr);
      assert.deepEqual(output(two.stderr), ['run-first', 'run-final'], 'first ran again, then final (new layer)');
      const three = await build('--no-cache-filter', 'final');
      assert.equal(three.exitCode, 0, three.stderr);
      assert.deepEqual(output(three.stderr), ['run-final'], 'only final ran again');
      const bad = await build('--no-cache-filter', 'nosuch');
      assert.notEqual(bad.exitCode, 0);
      assert.match(bad.stderr, /--no-cache-filter nosuch: no such stage/);
    });

    await t.test('RUN --mount=type=cache,from=STAGE,source= starts as the stage files and is kept', async () => {
      const ctx = buildContext(a, 'cache-from', {
        Dockerfile: `FROM ${IMG} AS seed
RUN mkdir /data && echo seeded > /data/s.txt
FROM ${IMG} AS use
RUN --mount=type=cache,id=seeded,from=seed,source=/data,target=/c cat /c/s.txt; echo more >> /c/s.txt; wc -l < /c/s.txt
`,
      });
      const one = await a.gantry(['image', 'build', '--progress', 'plain', ctx]);
      assert.equal(one.exitCode, 0, one.stderr);
      assert.deepEqual(output(one.stderr), ['seeded', '2']);
      const two = await a.gantry(['image', 'build', '--progress', 'plain', '--no-cache-filter', 'use', ctx]);
      assert.equal(two.exitCode, 0, two.stderr);
      assert.deepEqual(output(two.stderr), ['seeded', 'more', '3'], 'the seeded cache was kept');
    });
  },
);
