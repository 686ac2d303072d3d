// `gantry watch` and `up --watch` actions beyond sync, through the built CLI: sync+exec prints
// the command's output, sync+restart restarts once for a burst of files, rebuild replaces only
// its service (a dependent keeps running, untouched), a broken Dockerfile keeps the old
// container and says why and the next good edit recovers; Ctrl-C on `up --watch` stops the
// stack and leaves no process or temp file behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  countLines as count,
  rebuildProject,
  shIn as sh,
  sleeperProject,
  TEST_IMAGE as IMG,
  watchedProject,
} from '../helpers/watch-cli.ts';

test('watch: sync+exec output, sync+restart once per burst', { timeout: 300_000 }, async (t) => {
  const { r, dir, w } = await watchedProject(
    t,
    (root) =>
      sleeperProject(root, `wa${process.pid}`, {
        watch: `        - path: ./hooks
          action: sync+exec
          target: /hooks
          exec:
            command: ["sh", "-c", "echo ran-as-$$(id -u) in $$PWD with $$GREETING; cat /hooks/h.txt"]
            user: "1234"
            working_dir: /tmp
            environment: { GREETING: hi }
        - path: ./conf
          action: sync+restart
          target: /conf
`,
      }),
    { dirs: ['hooks', 'conf'] },
  );

  writeFileSync(join(dir, 'hooks', 'h.txt'), 'hook-file\n');
  await w.waitFor(/^web {2}exec {2}1 file {2}\d+ ms\nran-as-1234 in \/tmp with hi\nhook-file$/m);

  await sh(r, dir, 'web', 'touch /tmp/mark'); // gone only if the container were recreated
  for (let i = 0; i < 50; i++) writeFileSync(join(dir, 'conf', `c${i}.conf`), `${i}\n`);
  await w.waitFor(/^web {2}restart {2}\d+ ms$/m, { timeoutMs: 60_000 });
  await new Promise((res) => setTimeout(res, 1500)); // a second restart would come within this
  assert.equal(count(w.stderr(), /^web {2}restart /), 1, w.stderr());
  assert.equal(await sh(r, dir, 'web', 'ls /conf | wc -l; test -f /tmp/mark && echo kept'), '50\nkept\n');
  assert.equal(await w.interrupt(), 0);
});

test(
  'watch rebuild: only its service is replaced; a broken Dockerfile keeps the old container',
  { timeout: 600_000 },
  async (t) => {
    const dockerfile = `FROM ${IMG}\nCOPY index.html /www/\nCMD ["sleep", "3600"]\n`;
    const { r, dir, w } = await watchedProject(
      t,
      (root) =>
        rebuildProject(
          root,
          `wr${process.pid}`,
          { Dockerfile: dockerfile, 'index.html': 'v1\n' },
          `  client:
    image: ${IMG}
    command: ["sleep", "3600"]
    depends_on: [app]
`,
        ),
      { readyMs: 180_000 },
    );
    await sh(r, dir, 'client', 'touch /tmp/mark');
    await sh(r, dir, 'app', 'touch /tmp/mark');

    writeFileSync(join(dir, 'app', 'index.html'), 'v2\n');
    await w.waitFor(/^app {2}rebuild {2}\d+ ms {2}\(build \d+ ms, replace \d+ ms\)$/m, { timeoutMs: 180_000 });
    assert.equal(
      await sh(r, dir, 'app', 'cat /www/index.html; test -f /tmp/mark && echo old || echo new'),
      'v2\nnew\n',
    );
    assert.equal(await sh(r, dir, 'client', 'test -f /tmp/mark && echo kept'), 'kept\n');

    writeFileSync(join(dir, 'app', 'Dockerfile'), `FROM ${IMG}\nRUN exit 3\n`);
    await w.waitFor(/^app {2}rebuild {2}\d+ ms {2}failed: .*exit/m, { timeoutMs: 180_000 });
    assert.equal(await sh(r, dir, 'app', 'cat /www/index.html'), 'v2\n');

    writeFileSync(join(dir, 'app', 'index.html'), 'v3\n');
    writeFileSync(join(dir, 'app', 'Dockerfile'), dockerfile);
    await w.waitFor(/^app {2}rebuild {2}\d+ ms {2}\(build \d+ ms, replace \d+ ms\)$/m, {
      timeoutMs: 180_000,
      count: 2,
    });
    assert.equal(await sh(r, dir, 'app', 'cat /www/index.html'), 'v3\n');
    assert.equal(await sh(r, dir, 'client', 'test -f /tmp/mark && echo kept'), 'kept\n');
    assert.equal(await w.interrupt(), 0);
  },
);

test(
  'up --watch: syncs while attached; Ctrl-C stops the stack and leaves nothing behind',
  { timeout: 300_000 },
  async (t) => {
    const project = `wu${process.pid}`;
    const { r, dir, w } = await watchedProject(
      t,
      (root) =>
        root.project(project, {
          'compose.yaml': `name: ${project}
services:
  web:
    image: ${IMG}
    command: ["sh", "-c", "echo web-started; exec sleep 3600"]
    develop:
      watch:
        - path: ./src
          action: sync
          target: /app
`,
        }),
      { dirs: ['src'], args: ['up', '--watch'] },
    );
    for (let i = 0; i < 20; i++) writeFileSync(join(dir, 'src', `f${i}.txt`), `${i}\n`);
    await w.waitFor(/^web {2}sync {2}/m);
    const deadline = Date.now() + 30_000;
    while ((await sh(r, dir, 'web', 'ls /app | wc -l')) !== '20\n' && Date.now() < deadline)
      await new Promise((res) => setTimeout(res, 100));
    assert.equal(await sh(r, dir, 'web', 'ls -a /app | grep -c gantry-fs || true'), '0\n');
    assert.equal(await w.interrupt(), 0);
    assert.match(w.stdout(), /web-started/);
    const ps = await r.gantry(['ps', '-a', '--format', 'json'], { cwd: dir });
    assert.deepEqual(
      (JSON.parse(ps.stdout) as { State: string }[]).map((c) => c.State),
      ['exited'],
    );
    // No shim or chokidar child outlives the CLI: nothing of ours runs with this project's root.
    const mine = readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          const env = readFileSync(`/proc/${p}/environ`, 'utf8');
          return (
            env.includes(`GANTRY_ROOT=${r.root}\0`) &&
            !readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('supervisor')
          );
        } catch {
          return false;
        }
      });
    assert.deepEqual(mine, []);
  },
);
