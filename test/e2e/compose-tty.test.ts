// A TTY exec gets a terminal of the container's own devpts, as under Docker: `tty` inside prints
// its name (/dev/pts/N) and exits 0, where a terminal from the host's devpts had no name inside;
// `run -t` too (PID 1's terminal is /dev/pts/0, and /dev/console).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { gantryOnTty } from '../helpers/tty.ts';
import { idleApp } from './compose-helpers.ts';

test("exec on a terminal: tty names the container's pty; run -t is a terminal too", async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const { dir } = await idleApp(e, 'tt');
  const exec = await gantryOnTty(['exec', 'app', 'sh', '-c', 'tty && ls -1 /dev/pts'], { cwd: dir, env: e.env });
  assert.equal(exec.exitCode, 0, exec.output);
  const pts = /\/dev\/pts\/(\d+)/.exec(exec.output);
  assert.ok(pts, `tty names a pty of the container: ${JSON.stringify(exec.output)}`);
  assert.match(exec.output, new RegExp(`^${pts[1]}$`, 'm'), "the pty is in the container's /dev/pts");

  // run -t: PID 1's terminal is the container's first pty, as Docker's (on 9d45363: /dev/console)
  const run = await gantryOnTty(['run', '--rm', 'app', 'sh', '-c', 'tty; ls -1 /dev/pts; echo x > /dev/console'], {
    cwd: dir,
    env: e.env,
  });
  assert.equal(run.exitCode, 0, run.output);
  assert.match(run.output, /^\/dev\/pts\/0$/m, run.output);
  assert.match(run.output, /^0$/m, "the pty is in the container's /dev/pts");
  assert.match(run.output, /^x$/m, '/dev/console is the same terminal');
});
