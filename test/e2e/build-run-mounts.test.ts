// `image build` RUN flags on the real runtime: --mount=type=cache (kept between builds, uid and
// mode on creation), bind (from the context, read-only by default, .dockerignore holds; from a
// stage; a rw bind's writes stay out of the layer), tmpfs, secret (`--secret id=,src=`, at
// /run/secrets/ID, never in a layer, its value never in the cache key; env= form), ssh refused;
// --network=none (loopback only), default (the build bridge reaches the host through its
// gateway), host (refused without `--allow network.host`); independent stages run side by side;
// `-f -` reads the Dockerfile from stdin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { buildContext, runOutput } from '../helpers/build-context.ts';

const IMG = 'gantry-test/busybox:latest';

const context = buildContext;

const output = runOutput;

test('image build: RUN --mount, --network, parallel stages, -f -', { timeout: 600_000 }, async (t) => {
  const r = await e2eRoot(t.after.bind(t));
  await t.test('a cache mount survives between builds, created with its uid and mode', async () => {
    const dir = context(r, 'cache', {
      Dockerfile: `FROM ${IMG}\nRUN --mount=type=cache,id=c1,target=/c,uid=1234,mode=0750 echo run >> /c/log; wc -l < /c/log; stat -c '%u %a' /c; ls /c\n`,
    });
    const a = await r.gantry(['image', 'build', '--progress', 'plain', '-t', 'cache:1', dir]);
    assert.equal(a.exitCode, 0, a.stderr);
    assert.deepEqual(output(a.stderr), ['1', '1234 750', 'log']);
    const b = await r.gantry(['image', 'build', '--no-cache', '--progress', 'plain', '-t', 'cache:1', dir]);
    assert.equal(b.exitCode, 0, b.stderr);
    assert.deepEqual(output(b.stderr).slice(0, 1), ['2']);
    const ls = await r.gantry(['container', 'run', '--rm', 'cache:1', 'ls', '-A', '/c']);
    assert.equal(ls.stdout, '', 'the cache mount point is not in the image: ' + ls.stdout + ls.stderr);
  });
  await t.test(
    'bind mounts: from the context (read-only, .dockerignore holds), from a stage, rw writes stay out',
    async () => {
      const dir = context(r, 'bind', {
        'in.txt': 'from context\n',
        'secret.key': 'ignored\n',
        '.dockerignore': 'secret.key\n',
        Dockerfile: `FROM ${IMG} AS tool
RUN mkdir /out && echo from stage > /out/t.txt
FROM ${IMG}
RUN --mount=type=bind,target=/src cat /src/in.txt; ls /src/secret.key 2>&1 | grep -c 'No such'; touch /src/x 2>/dev/null || echo read-only
RUN --mount=type=bind,from=tool,source=/out,target=/t cat /t/t.txt
RUN --mount=type=bind,source=in.txt,target=/f.txt,rw echo changed > /f.txt && cat /f.txt
RUN --mount=type=tmpfs,target=/scratch echo tmp > /scratch/x && cat /scratch/x
`,
      });
      const b = await r.gantry(['image', 'build', '--progress', 'plain', '-t', 'bind:1', dir]);
      assert.equal(b.exitCode, 0, b.stderr);
      assert.deepEqual(
        output(b.stderr).filter((l) => !/^(\/|mkdir)/.test(l)),
        ['from context', '1', 'read-only', 'from stage', 'changed', 'tmp'],
      );
      const ls = await r.gantry([
        'container',
        'run',
        '--rm',
        'bind:1',
        'sh',
        '-c',
        'ls -A /src /t /f.txt /scratch 2>&1 | grep -c "No such"',
      ]);
      assert.equal(ls.stdout.trim(), '4', 'no mount point or rw write is in the image: ' + ls.stdout + ls.stderr);
      writeFileSync(join(dir, 'in.txt'), 'edited\n');
      const again = await r.gantry(['image', 'build', '--progress', 'plain', '-t', 'bind:1', dir]);
      assert.equal(again.exitCode, 0, again.stderr);
      assert.ok(output(again.stderr).includes('edited'), 'a bound context file is part of the step key');
    },
  );
  await t.test('secrets: mounted at /run/secrets/ID, never in the image, value not in the cache key', async () => {
    const tok = join(r.root, 'tok.txt');
    writeFileSync(tok, 's3cret-value');
    const dir = context(r, 'secret', {
      Dockerfile: `FROM ${IMG}
RUN --mount=type=secret,id=tok cat /run/secrets/tok; echo; stat -c '%a %u' /run/secrets/tok || true
RUN --mount=type=secret,id=tok,env=TOKEN,required echo "len=\${#TOKEN}"
RUN --mount=type=secret,id=missing ls /run/secrets/missing 2>&1 | grep -c 'No such'
`,
    });
    const args = ['image', 'build', '--progress', 'plain', '--secret', `id=tok,src=${tok}`, '-t', 'sec:1', dir];
    const b = await r.gantry(args);
    assert.equal(b.exitCode, 0, b.stderr);
    assert.deepEqual(output(b.stderr), ['s3cret-value', '400 0', 'len=12', '1']);
    const run = await r.gantry([
      'container',
      'run',
      '--rm',
      'sec:1',
      'sh',
      '-c',
      'ls -A /run/secrets 2>&1; find / -xdev -type f | xargs grep -l s3cret 2>/dev/null || true',
    ]);
    assert.match(run.stdout, /No such file/, run.stderr);
    assert.doesNotMatch(run.stdout, /s3cret|\/run\/secrets\/tok/);
    writeFileSync(tok, 'another');
    const again = await r.gantry(args);
    assert.equal(again.exitCode, 0, again.stderr);
    assert.equal(output(again.stderr).length, 0, 'a changed secret value does not miss the cache: ' + again.stderr);
    const missing = await r.gantry(['image', 'build', '--no-cache', '-t', 'sec:2', dir]);
    assert.notEqual(missing.exitCode, 0);
    assert.match(missing.stderr, /Dockerfile:3.*secret tok: not provided/);
  });
  await t.test('ssh mounts and insecure entitlements are refused in one line', async () => {
    const dir = context(r, 'ssh', { Dockerfile: `FROM ${IMG}\nRUN --mount=type=ssh true\n` });
    const b = await r.gantry(['image', 'build', dir]);
    assert.notEqual(b.exitCode, 0);
    assert.match(b.stderr, /Dockerfile:2.*type=ssh: SSH agent forwarding is not supported/);
    const c = await r.gantry(['image', 'build', '--allow', 'security.insecure', dir]);
    assert.notEqual(c.exitCode, 0);
    assert.match(c.stderr, /insecure builds are not supported/);
  });
  await t.test(
    '--network: none is loopback only, default reaches the host through the build bridge, host needs --allow',
    async (tt) => {
      const server = createServer((_q, res) => res.end('hello from host\n'));
      await new Promise<void>((res) => server.listen(0, '0.0.0.0', res));
      tt.after(() => new Promise<void>((res) => server.close(() => res())));
      const port = (server.address() as AddressInfo).port;
      const dir = context(r, 'net', {
        Dockerfile: `FROM ${IMG}
RUN --network=none grep -c : /proc/net/dev; wget -q -O- http://127.0.0.1:${port}/ || echo none-refused
RUN grep -c : /proc/net/dev
`,
        'Dockerfile.host': `FROM ${IMG}\nRUN --network=host wget -q -O- http://127.0.0.1:${port}/\n`,
      });
      const b = await r.gantry(['image', 'build', '--progress', 'plain', dir]);
      assert.equal(b.exitCode, 0, b.stderr);
      assert.deepEqual(
        output(b.stderr).filter((l) => !/^wget/.test(l)),
        ['1', 'none-refused', '2'],
      );
      // The build bridge (made by that build) is a gantry network: a RUN reaches the host at its gateway.
      const net = JSON.parse(readFileSync(join(r.root, 'networks', 'gantry-build.json'), 'utf8')) as {
        gateway: string;
      };
      writeFileSync(join(dir, 'Dockerfile.gw'), `FROM ${IMG}\nRUN wget -q -O- http://${net.gateway}:${port}/\n`);
      const gw = await r.gantry(['image', 'build', '--progress', 'plain', '-f', 'Dockerfile.gw', dir]);
      assert.equal(gw.exitCode, 0, gw.stderr);
      assert.deepEqual(output(gw.stderr), ['hello from host']);
      const after = JSON.parse(readFileSync(join(r.root, 'networks', 'gantry-build.json'), 'utf8')) as {
        endpoints: { netnsPath: string; owner: string }[];
      };
      // Only the pooled namespace stays joined (engine/ops/build-network.ts), kept for the next build.
      const own = after.endpoints.filter((e) => e.owner !== 'build pool');
      assert.deepEqual(own, [], 'the build left a namespace of its own on the bridge');
      const refused = await r.gantry(['image', 'build', '-f', 'Dockerfile.host', dir]);
      assert.notEqual(refused.exitCode, 0);
      assert.match(refused.stderr, /--network=host needs the network.host entitlement/);
      const allowed = await r.gantry([
        'image',
        'build',
        '--progress',
        'plain',
        '--allow',
        'network.host',
        '-f',
        'Dockerfile.host',
        dir,
      ]);
      assert.equal(allowed.exitCode, 0, allowed.stderr);
      assert.deepEqual(output(allowed.stderr), ['hello from host']);
    },
  );
  await t.test('independent stages build side by side; -f - reads the Dockerfile from stdin', async () => {
    // Each stage waits for the other's mark in a shared cache mount: only a parallel build ends.
    const wait = (me: string, other: string) =>
      `RUN --mount=type=cache,id=sync,target=/s touch /s/${me}; i=0; while [ ! -e /s/${other} ]; do sleep 0.1; i=$((i+1)); [ $i -lt 600 ] || exit 1; done; echo ${me} > /${me}`;
    const text = `FROM ${IMG} AS a\n${wait('a', 'b')}\nFROM ${IMG} AS b\n${wait('b', 'a')}\nFROM ${IMG}\nCOPY --from=a /a /a\nCOPY --from=b /b /b\nCMD ["cat", "/a", "/b"]\n`;
    const dir = context(r, 'par', {});
    const b = await r.gantry(['image', 'build', '-f', '-', '-t', 'par:1', dir], { input: text, timeoutMs: 180_000 });
    assert.equal(b.exitCode, 0, b.stderr);
    const run = await r.gantry(['container', 'run', '--rm', 'par:1']);
    assert.equal(run.stdout, 'a\nb\n', run.stderr);
  });
});
