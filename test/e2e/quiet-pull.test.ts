// --quiet-pull (up, run, create): the images are pulled without pull lines; without the flag the
// same pull shows "Image … Pulling / Pulled"; a failed pull is still reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { startRegistry } from '../helpers/registry.ts';
import { ensureTestImages } from '../helpers/test-images.ts';

test('up, run and create --quiet-pull pull without progress lines; errors still show', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const reg = await startRegistry();
  t.after(() => reg.stop());
  const layout = (await ensureTestImages()).ociLayout;
  for (const tag of ['1', '2', '3', '4']) await reg.push(`oci:${layout}:latest`, `qp/bb:${tag}`);
  const name = `e2e${process.pid}qp`;
  const svc = (s: string, tag: string) =>
    `  ${s}:\n    image: ${reg.host}/qp/bb:${tag}\n    init: true\n    command: ["sleep", "600"]\n`;
  const dir = e.project(name, {
    'compose.yaml':
      `name: ${name}\nservices:\n${svc('quiet', '1')}${svc('loud', '2')}${svc('made', '3')}${svc('once', '4')}` +
      `  missing:\n    image: ${reg.host}/qp/none:1\n`,
  });
  const quiet = await e.gantry(['up', '-d', '--quiet-pull', 'quiet'], { cwd: dir });
  assert.equal(quiet.exitCode, 0, quiet.stderr);
  assert.doesNotMatch(quiet.stderr, /Pull/, quiet.stderr);
  assert.match(quiet.stderr, new RegExp(`Container ${name}-quiet-1  Started`));

  const loud = await e.gantry(['up', '-d', 'loud'], { cwd: dir });
  assert.equal(loud.exitCode, 0, loud.stderr);
  assert.match(loud.stderr, /^ Image \S+\/qp\/bb:2 {2}Pulling$/m);
  assert.match(loud.stderr, /^ Image \S+\/qp\/bb:2 {2}Pulled$/m);

  const created = await e.gantry(['create', '--quiet-pull', 'made'], { cwd: dir });
  assert.equal(created.exitCode, 0, created.stderr);
  assert.doesNotMatch(created.stderr, /Pull/);
  assert.match(created.stderr, new RegExp(`Container ${name}-made-1  Created`));
  const ps = await e.gantry(['ps', '-a', '--format', '{{.Service}} {{.State}}'], { cwd: dir });
  assert.match(ps.stdout, /^made created$/m, ps.stdout);

  const run = await e.gantry(['run', '--rm', '--quiet-pull', 'once', 'echo', 'ran'], { cwd: dir });
  assert.equal(run.exitCode, 0, run.stderr);
  assert.equal(run.stdout.trim(), 'ran');
  assert.doesNotMatch(run.stderr, /Pull/);

  const failed = await e.gantry(['up', '-d', '--quiet-pull', 'missing'], { cwd: dir });
  assert.notEqual(failed.exitCode, 0);
  assert.match(failed.stderr, /qp\/none/, 'the failed pull is still reported');
});
