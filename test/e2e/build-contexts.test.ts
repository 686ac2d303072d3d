// Named build contexts on the real runtime: `image build --build-context NAME=DIR|docker-image://REF`
// used by FROM NAME, COPY --from=NAME and RUN --mount from=NAME (the directory's own .dockerignore
// holds, a changed file misses the cache, a stage of the same name is replaced), and compose
// build.additional_contexts (a relative path, docker-image://, and service:NAME, which builds
// that service first and uses its image).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { buildContext, runOutput } from '../helpers/build-context.ts';

const IMG = 'gantry-test/busybox:latest';

const output = runOutput;

test('named build contexts: --build-context and compose additional_contexts', { timeout: 600_000 }, async (t) => {
  const r = await e2eRoot(t.after.bind(t));
  await t.test('a directory: COPY --from, RUN --mount from, FROM; its .dockerignore holds', async () => {
    const docs = buildContext(r, 'docs', { 'a.txt': 'doc a\n', 'skip.txt': 'no\n', '.dockerignore': 'skip.txt\n' });
    const dir = buildContext(r, 'named-dir', {
      Dockerfile: `FROM docs AS only-docs
FROM ${IMG}
COPY --from=docs / /docs/
RUN --mount=from=docs,target=/m cat /m/a.txt; ls /m
COPY --from=only-docs /a.txt /from-stage.txt
CMD ["sh", "-c", "cat /docs/a.txt /from-stage.txt; ls /docs"]
`,
    });
    const args = ['image', 'build', '--progress', 'plain', '--build-context', `docs=${docs}`, '-t', 'named:1', dir];
    const b = await r.gantry(args);
    assert.equal(b.exitCode, 0, b.stderr);
    assert.deepEqual(output(b.stderr), ['doc a', 'a.txt']);
    const run = await r.gantry(['container', 'run', '--rm', 'named:1']);
    assert.equal(run.stdout, 'doc a\ndoc a\na.txt\n', run.stderr);
    const again = await r.gantry(args);
    assert.equal(again.exitCode, 0, again.stderr);
    assert.deepEqual(output(again.stderr), [], 'an unchanged named context is cached');
    writeFileSync(join(docs, 'a.txt'), 'doc a, edited\n');
    const edited = await r.gantry(args);
    assert.equal(edited.exitCode, 0, edited.stderr);
    assert.deepEqual(output(edited.stderr), ['doc a, edited', 'a.txt'], 'a changed file misses the cache');
  });
  await t.test('docker-image:// replaces an image and a stage of the same name; URLs are refused', async () => {
    const dir = buildContext(r, 'named-image', {
      Dockerfile: `FROM nosuch/base:1 AS base
RUN exit 7
FROM base
RUN echo built on the named image > /marker
CMD ["cat", "/marker"]
`,
    });
    const b = await r.gantry(['image', 'build', '--build-context', `base=docker-image://${IMG}`, '-t', 'named:2', dir]);
    assert.equal(b.exitCode, 0, b.stderr);
    const run = await r.gantry(['container', 'run', '--rm', 'named:2']);
    assert.equal(run.stdout, 'built on the named image\n', run.stderr);
    const url = await r.gantry(['image', 'build', '--build-context', 'base=https://example.invalid/x.git', dir]);
    assert.notEqual(url.exitCode, 0);
    assert.match(url.stderr, /build context base=https:.*only local directories and docker-image:\/\//);
  });
  await t.test('compose additional_contexts: a path, docker-image:// and service:NAME', async () => {
    const project = `bctx${process.pid}`;
    const dir = r.project(project, {
      'compose.yaml': `name: ${project}
services:
  tool:
    build:
      context: ./tool
  app:
    build:
      context: ./app
      additional_contexts:
        src: ./src
        base: docker-image://${IMG}
        tool: service:tool
`,
    });
    mkdirSync(join(dir, 'tool'));
    writeFileSync(join(dir, 'tool', 'Dockerfile'), `FROM ${IMG}\nRUN echo made by tool > /tool.txt\n`);
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'main.txt'), 'main source\n');
    mkdirSync(join(dir, 'app'));
    writeFileSync(
      join(dir, 'app', 'Dockerfile'),
      `FROM base\nARG NOTE=first\nCOPY --from=src main.txt /\nCOPY --from=tool /tool.txt /\nRUN echo $NOTE > /note\nCMD ["cat", "/main.txt", "/tool.txt", "/note"]\n`,
    );
    const b = await r.gantry(['build', 'app'], { cwd: dir });
    assert.equal(b.exitCode, 0, b.stderr);
    const run = await r.gantry(['container', 'run', '--rm', `${project}-app`]);
    assert.equal(run.stdout, 'main source\nmade by tool\nfirst\n', run.stderr);
    const tool = await r.gantry(['image', 'inspect', `${project}-tool`]);
    assert.equal(tool.exitCode, 0, 'service:tool built the tool service first');
    // gantry build's own flags: -q prints no step, --no-cache runs every step, --build-arg reaches ARG.
    const again = await r.gantry(['build', '-q', '--no-cache', '--build-arg', 'NOTE=second', 'app'], { cwd: dir });
    assert.equal(again.exitCode, 0, again.stderr);
    assert.equal(again.stdout, '', '-q prints nothing on stdout');
    assert.doesNotMatch(again.stderr, /^#\d+ /m, '-q prints no step');
    const rerun = await r.gantry(['container', 'run', '--rm', `${project}-app`]);
    assert.equal(rerun.stdout, 'main source\nmade by tool\nsecond\n', rerun.stderr);
  });
});
