// Compose `build:` keys through the built CLI: three services built side by side and started by
// `up --build --wait` (two of them wait for each other's mark in a shared cache mount, so only a
// parallel build ends); dockerfile_inline, args, target, tags, labels, network, extra_hosts,
// shm_size, secrets (a top-level file secret), ulimits, privileged (RUN --security=insecure),
// cache_from/cache_to (type=local), pull, platforms reach the build; registry cache forms, other
// platforms and networks are refused in one line; `gantry build --with-dependencies` builds the
// dependencies too; `run --build` rebuilds before running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { hostPlatform, formatPlatform } from '../../src/build/index.ts';

const IMG = 'gantry-test/busybox:latest';
const wait = (me: string, other: string): string =>
  `RUN --mount=type=cache,id=sync,target=/s touch /s/${me}; i=0; while [ ! -e /s/${other} ]; do sleep 0.1; i=$((i+1)); [ $i -lt 900 ] || exit 1; done`;

test(
  'compose build: three services in parallel by up --build --wait, every build key',
  { timeout: 600_000 },
  async (t) => {
    const r = await e2eRoot(t.after.bind(t));
    const project = `cbf${process.pid}`;
    const platform = formatPlatform(hostPlatform());
    const dir = r.project(project, {
      'compose.yaml': `name: ${project}
secrets:
  tok: { file: ./tok.txt }
services:
  a:
    build: ./a
    depends_on: [c]
  b:
    build: { context: ./b, tags: ["${project}-b:extra"], labels: { made.by: compose } }
  c:
    build:
      context: ./c
      dockerfile_inline: |
        FROM ${IMG} AS base
        ARG GREETING
        RUN --mount=type=secret,id=tok wc -c < /run/secrets/tok > /secret-len
        RUN grep -c myhost /etc/hosts > /hosts; df -k /dev/shm | tail -1 | awk '{print $2}' > /shm
        RUN ulimit -n > /nofile; grep -c : /proc/net/dev > /ifaces; echo "$$GREETING" > /greeting
        RUN --security=insecure grep CapEff /proc/self/status | awk '{print $2}' > /caps
        FROM base AS final
        CMD ["sleep", "3600"]
        FROM final AS unused
        RUN exit 9
      target: final
      args: { GREETING: hello-args }
      network: none
      extra_hosts: ["myhost=10.1.2.3"]
      shm_size: 8m
      secrets: [tok]
      ulimits: { nofile: { soft: 1234, hard: 1234 } }
      privileged: true
      cache_from: ["type=local,src=./no-cache-yet"]
      cache_to: ["type=local,dest=./cache"]
      pull: false
      platforms: ["${platform}"]
`,
      'tok.txt': 'twelve chars',
    });
    for (const [svc, body] of [
      ['a', wait('a', 'b')],
      ['b', wait('b', 'a')],
    ] as const) {
      mkdirSync(join(dir, svc));
      writeFileSync(join(dir, svc, 'Dockerfile'), `FROM ${IMG}\n${body}\nCMD ["sleep", "3600"]\n`);
    }
    mkdirSync(join(dir, 'c'));
    const up = await r.gantry(['up', '--build', '-d', '--wait'], { cwd: dir, timeoutMs: 300_000 });
    assert.equal(up.exitCode, 0, up.stderr);
    const files = await r.gantry(
      ['exec', 'c', 'sh', '-c', 'cat /secret-len /hosts /shm /nofile /ifaces /greeting /caps'],
      { cwd: dir },
    );
    assert.equal(files.exitCode, 0, files.stderr);
    const lines = files.stdout.trim().split('\n');
    assert.deepEqual(lines.slice(0, 6), ['12', '1', '8192', '1234', '1', 'hello-args']);
    assert.ok(
      (BigInt(`0x${lines[6]}`) & (1n << 21n)) !== 0n,
      `RUN --security=insecure holds CAP_SYS_ADMIN: ${lines[6]}`,
    );
    const secretGone = await r.gantry(['exec', 'c', 'ls', '/run/secrets/tok'], { cwd: dir });
    assert.notEqual(secretGone.exitCode, 0, 'the build secret is not in the image');
    const tagged = await r.gantry(['image', 'inspect', `${project}-b:extra`]);
    assert.match(tagged.stdout, /made\.by/);

    const withDeps = await r.gantry(['build', '--with-dependencies', 'a'], { cwd: dir });
    assert.equal(withDeps.exitCode, 0, withDeps.stderr);
    assert.match(withDeps.stderr, /\[c\]/, 'c (a dependency of a) was built too');
    assert.doesNotMatch(withDeps.stderr, /\[b\]/);
    const runBuild = await r.gantry(['run', '--rm', '--no-deps', '--build', 'c', 'cat', '/greeting'], { cwd: dir });
    assert.equal(runBuild.exitCode, 0, runBuild.stderr);
    assert.equal(runBuild.stdout.trim(), 'hello-args');
    assert.equal((await r.gantry(['down', '-t', '0'], { cwd: dir })).exitCode, 0);

    for (const [key, value, why] of [
      ['cache_from', '["type=registry,ref=example.com/x:cache"]', /build\.cache_from: .*only type=local/],
      ['cache_to', '["example.com/x:cache"]', /build\.cache_to: .*only type=local/],
      ['platforms', '["linux/s390x"]', /build\.platforms: linux\/s390x: only the host's platform/],
      ['network', 'mynet', /build\.network: mynet: a build runs on default, none or host/],
    ] as const) {
      const bad = r.project(`${project}${key.replace('_', '')}`, {
        'compose.yaml': `services:\n  app:\n    build:\n      context: .\n      ${key}: ${value}\n`,
        Dockerfile: `FROM ${IMG}\n`,
      });
      const b = await r.gantry(['build'], { cwd: bad });
      assert.notEqual(b.exitCode, 0, key);
      assert.match(b.stderr, why);
    }
  },
);
