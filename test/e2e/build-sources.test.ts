// `image build` sources and cache upkeep on the real runtime: ADD of an http(s) URL (a local
// server on 127.0.0.1) with and without --checksum (named after the URL, mode 0600, cached by
// content, a changed file misses, a wrong checksum fails), git sources and COPY of a URL refused
// in one line, `builder prune` / `image prune --build-cache` free the cache (the next build runs
// every step, cache mounts start empty), `--pull` pulls a base again even when the store has it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { buildContext } from '../helpers/build-context.ts';
import { startRegistry } from '../helpers/registry.ts';
import { ensureTestImages } from '../helpers/test-images.ts';

const IMG = 'gantry-test/busybox:latest';

const context = buildContext;

/** The verdict of each step, in order: CACHED or DONE. */
const verdicts = (stderr: string): string[] =>
  stderr.split('\n').flatMap((l) => /^#\d+ (CACHED|DONE)/.exec(l)?.[1] ?? []);
const sha = (s: string): string => `sha256:${createHash('sha256').update(s).digest('hex')}`;

test('image build: ADD URL, git refused, builder prune, --pull', { timeout: 600_000 }, async (t) => {
  const r = await e2eRoot(t.after.bind(t));
  let body = 'tool v1\n';
  const server = createServer((q, res) => {
    res.setHeader('Last-Modified', 'Wed, 21 Oct 2015 07:28:00 GMT');
    res.end(q.url === '/dl/tool.sh' ? body : '');
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  t.after(() => new Promise<void>((res) => server.close(() => res())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dl/tool.sh`;

  await t.test(
    'ADD URL: downloaded, named after the URL, mode 0600, cached by content; --checksum checked',
    async () => {
      const dir = context(r, 'url', {
        Dockerfile: `FROM ${IMG}\nADD ${url} /opt/\nADD --checksum=${sha(body)} ${url} /named.sh\nRUN cat /opt/tool.sh\n`,
      });
      const b = await r.gantry(['image', 'build', '-t', 'url:1', dir]);
      assert.equal(b.exitCode, 0, b.stderr);
      const run = await r.gantry([
        'container',
        'run',
        '--rm',
        'url:1',
        'sh',
        '-c',
        'stat -c "%a %Y %n" /opt/tool.sh; cat /named.sh',
      ]);
      assert.equal(run.stdout, '600 1445412480 /opt/tool.sh\ntool v1\n', run.stderr);
      const again = await r.gantry(['image', 'build', '-t', 'url:1', dir]);
      assert.deepEqual(verdicts(again.stderr), ['CACHED', 'CACHED', 'CACHED']);
      body = 'tool v2\n';
      const changed = await r.gantry(['image', 'build', '-t', 'url:1', dir]);
      assert.notEqual(changed.exitCode, 0, 'the pinned checksum no longer matches');
      assert.match(changed.stderr, /Dockerfile:3: ADD.*digest mismatch/);
      assert.deepEqual(verdicts(changed.stderr), ['DONE'], 'the unpinned ADD missed the cache');
    },
  );
  await t.test('git sources and COPY of a URL are refused in one line', async () => {
    for (const [line, why] of [
      ['ADD https://github.com/moby/moby.git /src', /git sources are not supported/],
      ['ADD git@github.com:moby/moby.git /src', /git sources are not supported/],
      [`COPY ${url} /x`, /source can't be a URL for COPY/],
    ] as const) {
      const dir = context(r, `git${line.length}`, { Dockerfile: `FROM ${IMG}\n${line}\n` });
      const b = await r.gantry(['image', 'build', dir]);
      assert.notEqual(b.exitCode, 0);
      assert.match(b.stderr, why);
      assert.match(b.stderr, /Dockerfile:2/);
    }
  });
  for (const cmd of [
    ['builder', 'prune', '-f'],
    ['image', 'prune', '--build-cache'],
  ]) {
    await t.test(
      `${cmd.join(' ')} frees the cache: the next build runs every step, cache mounts start empty`,
      async () => {
        const dir = context(r, `prune-${cmd[0]}`, {
          'f.txt': 'f\n',
          Dockerfile: `FROM ${IMG}\nCOPY f.txt /f.txt\nRUN --mount=type=cache,target=/c echo x >> /c/n; wc -l < /c/n\n`,
        });
        const first = await r.gantry(['image', 'build', '--progress', 'plain', dir]);
        assert.equal(first.exitCode, 0, first.stderr);
        assert.deepEqual(verdicts((await r.gantry(['image', 'build', dir])).stderr), ['CACHED', 'CACHED']);
        const p = await r.gantry(cmd);
        assert.equal(p.exitCode, 0, p.stderr);
        assert.match(
          p.stdout,
          /Deleted build cache entries: [1-9]\d*\nDeleted cache mounts: [1-9]\d*\nTotal reclaimed space: /,
        );
        const after = await r.gantry(['image', 'build', '--progress', 'plain', dir]);
        assert.equal(after.exitCode, 0, after.stderr);
        assert.deepEqual(verdicts(after.stderr), ['DONE', 'DONE']);
        assert.match(after.stderr, /#\d+ 1\n/, 'the cache mount started empty again');
      },
    );
  }
  await t.test('a missing base is pulled; --pull pulls it again even when the store has it', async () => {
    const reg = await startRegistry();
    let stopped = false;
    t.after(() => (stopped ? undefined : reg.stop()));
    await reg.push(`oci:${ensureTestImages().ociLayout}:latest`, 'base/bb:1');
    const dir = context(r, 'pull', { Dockerfile: `FROM ${reg.host}/base/bb:1\nRUN echo pulled > /p\n` });
    const first = await r.gantry(['image', 'build', '-t', 'pulled:1', dir]);
    assert.equal(first.exitCode, 0, first.stderr);
    await reg.stop();
    stopped = true;
    const cached = await r.gantry(['image', 'build', dir]);
    assert.equal(cached.exitCode, 0, 'the base is in the store now: ' + cached.stderr);
    const b = await r.gantry(['image', 'build', '--pull', dir]);
    assert.notEqual(b.exitCode, 0, 'with the registry gone, only a real pull fails');
    assert.match(b.stderr, /base image 127\.0\.0\.1:\d+\/base\/bb:1: cannot pull it/);
  });
});
