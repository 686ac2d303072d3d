// down signals the project's supervisor and stops the containers while it exits (issue 20: its
// exit no longer comes before the first stop), marking them stopped by the user first, so the
// supervisor, still alive meanwhile, restarts none of them. A supervisor held by SIGSTOP shows it:
// on de17929 down waited for it (up to 15 s) before it signalled any container.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { IMG, sleep, stored, uniq } from './lifecycle-helpers.ts';

const e = await e2eRoot((fn) => after(fn));

function alive(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
  } catch {
    return false;
  }
}

test('down stops the containers while the supervisor exits, and it restarts none of them', async () => {
  const name = uniq('dso');
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}\nservices:\n  a: {image: ${IMG}, init: true, restart: always, command: [sleep, "600"]}\n`,
  });
  const up = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  const supervisor = Number(readFileSync(join(e.root, 'projects', name, 'supervisor.pid'), 'utf8').split(' ')[0]);
  const program = stored(e.root, `${name}-a-1`).pid!;
  assert.ok(alive(supervisor) && alive(program));
  process.kill(supervisor, 'SIGSTOP'); // SIGTERM stays pending: it cannot exit until SIGCONT
  const down = e.gantry(['down', '-t', '1'], { cwd: dir });
  let stoppedMeanwhile: boolean;
  try {
    const end = Date.now() + 10_000; // below the 15 s after which down SIGKILLs a supervisor
    while (alive(program) && Date.now() < end) await sleep(50);
    stoppedMeanwhile = !alive(program);
  } finally {
    process.kill(supervisor, 'SIGCONT');
  }
  const r = await down;
  assert.equal(r.exitCode, 0, r.stderr);
  assert.ok(stoppedMeanwhile, 'the container was stopped while the supervisor could not exit yet');
  assert.equal(alive(supervisor), false);
  assert.deepEqual(
    readdirSync(join(e.root, 'containers')).filter((n) => n.startsWith(name)),
    [],
    'nothing restarted after the stop, nothing left',
  );
});
