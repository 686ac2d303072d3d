// The progress display as Compose chooses it (--progress × --ansi × terminal × CI), and the words of
// each line the live view and the plain lines show for the engine's events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseDisplay } from '../../../src/cli/progress-choice.ts';
import { progressLine, stepSubject } from '../../../src/cli/render/progress-lines.ts';
import { plainLine } from '../../../src/cli/render/progress.ts';
import { stripComposeWord } from '../../../src/cli/compose-alias.ts';

const inputs = { progress: 'auto', ansi: 'auto', ci: false, terminal: true } as const;

test('auto is the live view on a terminal only; --ansi never and CI give plain lines', () => {
  assert.equal(chooseDisplay(inputs), 'tty');
  assert.equal(chooseDisplay({ ...inputs, terminal: false }), 'plain');
  assert.equal(chooseDisplay({ ...inputs, ci: true }), 'plain');
  assert.equal(chooseDisplay({ ...inputs, ansi: 'never' }), 'plain');
  assert.equal(chooseDisplay({ ...inputs, progress: 'tty', terminal: false }), 'tty');
  assert.equal(chooseDisplay({ ...inputs, progress: 'none' }), 'quiet');
  assert.equal(chooseDisplay({ ...inputs, progress: 'json' }), 'json');
  assert.throws(() => chooseDisplay({ ...inputs, progress: 'tty', ansi: 'never' }), /ANSI support is disabled/);
  assert.throws(() => chooseDisplay({ ...inputs, progress: 'plain', ansi: 'always' }), /ANSI support is forced/);
  assert.throws(() => chooseDisplay({ ...inputs, progress: 'fancy' }), /unknown mode fancy/);
  assert.deepEqual(stripComposeWord(['--progress', 'plain', 'compose', 'up']), ['--progress', 'plain', 'up']);
});

test('one line per resource: a container goes from Creating to Started to Healthy on the same key', () => {
  const start = progressLine({ kind: 'op-start', op: 'create-container', target: 'p-web-1', cause: 'missing' });
  const started = progressLine({ kind: 'op-done', op: 'start', target: 'p-web-1', ms: 3 });
  const healthy = progressLine({ kind: 'container-state', target: 'p-web-1', service: 'web', state: 'healthy' });
  assert.deepEqual(start, {
    key: 'Container p-web-1',
    subject: 'Container p-web-1',
    status: 'Creating',
    phase: 'active',
  });
  assert.equal(started?.key, start?.key);
  assert.deepEqual([started?.status, started?.phase], ['Started', 'done']);
  assert.deepEqual([healthy?.key, healthy?.status, healthy?.phase], ['Container p-web-1', 'Healthy', 'done']);
  const unhealthy = progressLine({ kind: 'container-state', target: 'p-db-1', service: 'db', state: 'unhealthy' });
  assert.equal(unhealthy?.phase, 'failed');
  const pulled = progressLine({ kind: 'op-done', op: 'pull', target: 'busybox:1', ms: 5 });
  assert.deepEqual([pulled?.subject, pulled?.status], ['Image busybox:1', 'Pulled']);
  const failed = progressLine({ kind: 'op-failed', op: 'build', target: 'web', error: 'x' });
  assert.deepEqual([failed?.subject, failed?.status, failed?.phase], ['Service web', 'Error', 'failed']);
  assert.equal(
    plainLine({ kind: 'op-done', op: 'remove-network', target: 'p_default', ms: 1 }),
    ' Network p_default  Removed',
  );
  assert.equal(
    plainLine({ kind: 'container-state', target: 'p-db-1', service: 'db', state: 'exited' }),
    ' Container p-db-1  Exited',
  );
});

test('build steps: keyed per service and step, named as BuildKit names them, CACHED or DONE', () => {
  const label = '[stage-0 2/3] COPY . /app';
  assert.equal(stepSubject('web', label), '[web stage-0 2/3] COPY . /app');
  const a = progressLine({ kind: 'build-step', service: 'web', step: 2, label, state: 'started', ms: 0 });
  const b = progressLine({ kind: 'build-step', service: 'api', step: 2, label, state: 'cached', ms: 1 });
  assert.notEqual(a?.key, b?.key, 'two services building side by side keep their own lines');
  assert.deepEqual([a?.status, a?.phase], ['', 'active']);
  assert.deepEqual([b?.status, b?.phase], ['CACHED', 'done']);
});
