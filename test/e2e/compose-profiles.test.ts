// Profiles as Compose handles them, from the CLI: naming a profiled service (up/run/exec) enables
// it without --profile; its container is not an orphan of a later plain `up` (no warning, and
// --remove-orphans keeps it); plain `down` removes it with the rest and exits 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { IMG, psAll, uniq } from './lifecycle-helpers.ts';

test('a named profiled service is enabled, is no orphan, and plain down removes it', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = uniq('pf');
  const sleeper = `image: ${IMG}, command: ["sleep", "3600"], init: true`;
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  app: {${sleeper}}
  admin: {${sleeper}, profiles: [tools]}
`,
  });
  const upAdmin = await e.gantry(['up', '-d', 'admin'], { cwd: dir });
  assert.equal(upAdmin.exitCode, 0, upAdmin.stderr);
  assert.deepEqual(
    (await psAll(e, dir)).map((r) => [r.Service, r.State]),
    [['admin', 'running']],
  );

  const ex = await e.gantry(['exec', '-T', 'admin', 'echo', 'exec-in-admin'], { cwd: dir });
  assert.deepEqual([ex.exitCode, ex.stdout], [0, 'exec-in-admin\n'], ex.stderr);
  const run = await e.gantry(['run', '--rm', '-T', 'admin', 'echo', 'run-of-admin'], { cwd: dir });
  assert.equal(run.exitCode, 0, run.stderr);
  assert.match(run.stdout, /run-of-admin/);

  const up = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  assert.doesNotMatch(up.stderr, /orphan/i, 'admin belongs to an inactive profile of the project: not an orphan');
  const upRo = await e.gantry(['up', '-d', '--remove-orphans'], { cwd: dir });
  assert.equal(upRo.exitCode, 0, upRo.stderr);
  assert.deepEqual((await psAll(e, dir)).map((r) => [r.Service, r.State]).sort(), [
    ['admin', 'running'],
    ['app', 'running'],
  ]);

  const down = await e.gantry(['down', '-t', '1'], { cwd: dir });
  assert.equal(down.exitCode, 0, down.stderr);
  assert.deepEqual(await psAll(e, dir), []);
  for (const s of ['app', 'admin'])
    assert.equal(existsSync(join(e.root, 'containers', `${name}-${s}-1`)), false, `${s} removed`);
});
