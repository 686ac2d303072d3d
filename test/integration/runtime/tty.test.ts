// tty: true gives the program a terminal (its output still reaches the log); `run -t -i` in the
// foreground relays a real terminal both ways (util-linux `script` plays the user's terminal).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, logText, ROOTFS } from '../../helpers/rootfs-runtime.ts';
import { GANTRY_BIN } from '../../helpers/cli.ts';

test('tty', async (t) => {
  const f = fixture(t, 'tty');

  await t.test('a detached container with tty: true has a terminal; output is logged', async () => {
    const id = await f.startDetached([], {
      process: {
        args: [
          '/bin/sh',
          '-c',
          'test -t 0 && test -t 1 && echo in-tty; test -t 2 && echo err-tty; echo to-console > /dev/console',
        ],
        env: ['PATH=/bin'],
        cwd: '/',
        tty: true,
      },
    });
    const s = await f.rt.wait(id, { timeoutMs: 10_000 });
    assert.equal(s.exitCode, 0);
    assert.equal(logText(f.rt.logPath(id), 'stdout'), 'in-tty\nerr-tty\nto-console\n');
  });

  await t.test('without tty the program has pipes, not a terminal', async () => {
    const r = await f.run(['/bin/sh', '-c', 'test -t 0 || test -t 1 || echo no-tty']);
    assert.equal(r.stdout, 'no-tty\n');
  });

  await t.test('run -t -i relays input and output through the terminal', () => {
    const root = mkdtempSync(join(tmpdir(), `gantry-tty-${process.pid}-`));
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const cmd = `${process.execPath} ${GANTRY_BIN} container run --rm -t -i ${ROOTFS} /bin/sh -c 'test -t 0 && echo in-tty; echo "term=$TERM"; read x; echo "got $x"; exit 3'`;
    const r = spawnSync('script', ['-qfec', cmd, '/dev/null'], {
      input: 'hello\n',
      encoding: 'utf8',
      env: { ...process.env, GANTRY_ROOT: root },
      timeout: 30_000,
    });
    assert.equal(r.status, 3, r.stderr);
    // the terminal echoes the input (and script's ^@ at its EOF) whenever it arrives: lines may start with it
    const out = r.stdout.replace(/\r/g, '').replace(/\^@/g, '');
    assert.match(out, /^in-tty$/m);
    assert.match(out, /^term=xterm$/m);
    assert.match(out, /^got hello$/m);
  });

  await t.test('exec -t -i gets a terminal too', async () => {
    const id = await f.startDetached(['/bin/sleep', '30']);
    const root = f.root;
    const cmd = `${process.execPath} ${GANTRY_BIN} container exec -t -i ${id} /bin/sh -c 'test -t 0 && echo exec-tty; read x; echo "got $x"'`;
    const r = spawnSync('script', ['-qfec', cmd, '/dev/null'], {
      input: 'there\n',
      encoding: 'utf8',
      env: { ...process.env, GANTRY_ROOT: root },
      timeout: 30_000,
    });
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout.replace(/\r/g, ''), /^exec-tty$[\s\S]*^got there$/m);
  });
});
