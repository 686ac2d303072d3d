// Compose's answers for a service that is not there or not able to run a command, from the CLI:
// logs/ps/exec of an unknown service exit 1 with `no such service`; exec into a paused container
// says it is paused (and works again once unpaused).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { idleApp } from './compose-helpers.ts';

test('logs, ps and exec of an unknown service exit 1; exec into a paused container says so', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const { name, dir } = await idleApp(e, 'up');
  for (const args of [
    ['logs', 'nosuch'],
    ['ps', 'nosuch'],
    ['exec', '-T', 'nosuch', 'true'],
  ]) {
    const r = await e.gantry(args, { cwd: dir });
    assert.equal(r.exitCode, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /no such service: nosuch/, args.join(' '));
  }
  assert.equal((await e.gantry(['logs', 'app'], { cwd: dir })).exitCode, 0);

  assert.equal((await e.gantry(['pause', 'app'], { cwd: dir })).exitCode, 0);
  const paused = await e.gantry(['exec', '-T', 'app', 'true'], { cwd: dir });
  assert.equal(paused.exitCode, 1, paused.stderr);
  assert.match(paused.stderr, new RegExp(`container ${name}-app-1 is paused`));
  assert.equal((await e.gantry(['unpause', 'app'], { cwd: dir })).exitCode, 0);
  const after = await e.gantry(['exec', '-T', 'app', 'echo', 'back'], { cwd: dir });
  assert.deepEqual([after.exitCode, after.stdout], [0, 'back\n'], after.stderr);
});
