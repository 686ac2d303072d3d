// The build bridge's pooled namespace is reused by the next build of the state root, so what a
// privileged RUN (compose build.privileged + RUN --security=insecure, CAP_NET_ADMIN) changed in it
// must not reach another build: the namespace it ran in is discarded, not given back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { shortId } from '../../src/engine/translate/to-spec.ts';

const IMG = 'gantry-test/busybox:latest';
const MARK = '10.251.7.1';

test(
  'a privileged RUN on the build bridge does not leave its changes to the next build',
  { timeout: 300_000 },
  async (t) => {
    const r = await e2eRoot(t.after.bind(t));
    const pool = (): string[] =>
      readdirSync('/run/netns').filter((n) => n.startsWith(`gantry-b${shortId(r.root).slice(0, 8)}-pool-`));
    const project = `bpp${process.pid}`;
    const dir = r.project(project, {
      'compose.yaml': `name: ${project}
services:
  priv:
    build: { context: ., dockerfile: Dockerfile.priv, privileged: true }
`,
      'Dockerfile.priv': `FROM ${IMG}\nRUN --security=insecure ip addr add ${MARK}/32 dev lo && ip addr show lo | grep -q ${MARK}\n`,
      Dockerfile: `FROM ${IMG}\nRUN ip addr show eth0 | grep -q 'inet ' && (ip addr show lo | grep -c ${MARK} > /seen || true)\n`,
    });
    const priv = await r.gantry(['build', 'priv'], { cwd: dir, timeoutMs: 180_000 });
    assert.equal(priv.exitCode, 0, priv.stderr);
    assert.deepEqual(pool(), [], 'the namespace a privileged RUN used is not kept in the pool');

    const plain = await r.gantry(['image', 'build', '-t', `${project}-plain`, '.'], { cwd: dir, timeoutMs: 180_000 });
    assert.equal(plain.exitCode, 0, plain.stderr);
    assert.equal(pool().length, 1, 'an ordinary build keeps its namespace for the next one');
    const seen = await r.gantry(['container', 'run', '--rm', '--network', 'none', `${project}-plain`, 'cat', '/seen']);
    assert.equal(seen.exitCode, 0, seen.stderr);
    assert.equal(seen.stdout.trim(), '0', 'the next build does not see the privileged RUN’s address');
  },
);
