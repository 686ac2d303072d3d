// `gantry watch` sync rules through the built CLI on the busybox test image: initial_sync, edit /
// create / delete (content, mode, owner as the service's user), nested directories, a rule
// whose path is a file, ignore / include patterns and the build context's .dockerignore; then a
// symlink planted in the container cannot make sync write outside the container's root.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleeperProject, TEST_IMAGE, untilIn, watchedProject } from '../helpers/watch-cli.ts';

const IMG = TEST_IMAGE;
const until = untilIn;

test(
  'watch sync: initial_sync, edits, deletions, owners, ignore, include, .dockerignore',
  { timeout: 300_000 },
  async (t) => {
    const { r, dir, w } = await watchedProject(t, (root) => {
      const d = sleeperProject(root, `ws${process.pid}`, {
        webKeys: '    user: "1000:1001"\n',
        watch: `        - path: ./src
          action: sync
          target: /app
          ignore: ["*.tmp", "skip/"]
          initial_sync: true
        - path: ./conf/app.conf
          action: sync
          target: /etc/app.conf
`,
        services: `  api:
    build: ./api
    develop:
      watch:
        - path: ./api
          action: sync
          target: /srv
          include: ["*.js"]
`,
      });
      for (const sub of ['src', 'conf', 'api']) mkdirSync(join(d, sub));
      writeFileSync(join(d, 'src', 'pre.txt'), 'before watch\n');
      writeFileSync(join(d, 'conf', 'app.conf'), 'v1\n');
      writeFileSync(join(d, 'api', 'Dockerfile'), `FROM ${IMG}\nCMD ["sleep", "3600"]\n`);
      writeFileSync(join(d, 'api', '.dockerignore'), 'private.js\n');
      return d;
    });
    assert.match(w.stderr(), /^web {2}initial_sync {2}1 file {2}\d+ ms$/m);
    await until(r, dir, 'web', 'cat /app/pre.txt', 'before watch\n');

    writeFileSync(join(dir, 'src', 'a.txt'), 'hello\n');
    chmodSync(join(dir, 'src', 'a.txt'), 0o640);
    await until(r, dir, 'web', "stat -c '%a %u:%g' /app/a.txt; cat /app/a.txt", '640 1000:1001\nhello\n');
    writeFileSync(join(dir, 'src', 'a.txt'), 'edited\n');
    await until(r, dir, 'web', 'cat /app/a.txt', 'edited\n');
    mkdirSync(join(dir, 'src', 'd', 'e'), { recursive: true });
    writeFileSync(join(dir, 'src', 'd', 'e', 'f.txt'), 'deep\n');
    await until(r, dir, 'web', "stat -c '%u:%g' /app/d /app/d/e; cat /app/d/e/f.txt", '1000:1001\n1000:1001\ndeep\n');
    rmSync(join(dir, 'src', 'a.txt'));
    await until(r, dir, 'web', 'test -e /app/a.txt && echo present || echo gone', 'gone\n');
    rmSync(join(dir, 'src', 'd'), { recursive: true });
    await until(r, dir, 'web', 'test -e /app/d && echo present || echo gone', 'gone\n');
    // Ignored first, then a file that is synced: once that one is in, the ignored ones were skipped.
    writeFileSync(join(dir, 'src', 'x.tmp'), 'no\n');
    mkdirSync(join(dir, 'src', 'skip'));
    writeFileSync(join(dir, 'src', 'skip', 'y.txt'), 'no\n');
    writeFileSync(join(dir, 'src', 'after.txt'), 'yes\n');
    await until(r, dir, 'web', 'cat /app/after.txt; ls /app', 'yes\nafter.txt\npre.txt\n');
    writeFileSync(join(dir, 'conf', 'app.conf'), 'v2\n');
    await until(r, dir, 'web', 'cat /etc/app.conf', 'v2\n');

    writeFileSync(join(dir, 'api', 'private.js'), 'excluded by .dockerignore\n');
    writeFileSync(join(dir, 'api', 'notes.md'), 'not included\n');
    writeFileSync(join(dir, 'api', 'main.js'), 'included\n');
    await until(r, dir, 'api', 'cat /srv/main.js; ls /srv', 'included\nmain.js\n');
    assert.doesNotMatch(w.stderr(), /failed/);
    assert.equal(await w.interrupt(), 0);
  },
);

test(
  'watch sync: a symlink planted in the container cannot make sync write outside its root',
  { timeout: 300_000 },
  async (t) => {
    let outside = '';
    const { r, dir, w } = await watchedProject(
      t,
      (root) => {
        outside = join(root.root, 'outside');
        mkdirSync(outside);
        writeFileSync(join(outside, 'victim.txt'), 'untouched\n');
        return sleeperProject(root, `wl${process.pid}`, {
          watch: '        - { path: ./src, action: sync, target: /app }\n',
        });
      },
      { dirs: ['src'] },
    );
    // Links to the host's paths, as a hostile process in the container would plant them: a file
    // link where sync writes, and a directory link on the way to where it writes.
    const plant = await r.gantry(
      [
        'exec',
        'web',
        'sh',
        '-c',
        `mkdir -p /app && ln -s ${outside}/victim.txt /app/victim.txt && ln -s ${outside} /app/dir`,
      ],
      { cwd: dir },
    );
    assert.equal(plant.exitCode, 0, plant.stderr);
    writeFileSync(join(dir, 'src', 'victim.txt'), 'written by sync\n');
    mkdirSync(join(dir, 'src', 'dir'));
    writeFileSync(join(dir, 'src', 'dir', 'planted.txt'), 'written by sync\n');
    await until(r, dir, 'web', 'test -L /app/victim.txt && echo link || cat /app/victim.txt', 'written by sync\n');
    await w.waitFor(/^web {2}sync/m);
    assert.equal(readFileSync(join(outside, 'victim.txt'), 'utf8'), 'untouched\n');
    assert.equal(existsSync(join(outside, 'planted.txt')), false);
    await w.interrupt();
  },
);
