// A start the supervisor's set already holds (its container exited, `up` starts it again) asks
// nothing more of the container's state: the labels the start read answer whether the set holds
// it. Each such start read its state.json once more and parsed its label (issue 20: 70 ms of a
// 60-service `up -d`, bench/RESULTS.md "slope2"). Whether the live supervisor holds the set's
// generation is asked of its files once per command, not once per start (bench/RESULTS.md "many11").
import fs, { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { compose } from '../../src/index.ts';

const IMG = 'gantry-test/busybox:latest';
const N = 4;
const yaml = Array.from(
  { length: N },
  (_, i) => `  s${i + 1}: {image: ${IMG}, network_mode: none, command: [sleep, "60"]}`,
);

/**
 * state.json reads (by container id) and supervisor marker reads ("applied") made under
 * supervisorHoldsContainer (V8's async stack names it) while fn ran.
 */
async function holdsReads(fn: () => Promise<void>): Promise<string[]> {
  const reads: string[] = [];
  const real = fs.readFileSync;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  fs.readFileSync = ((path: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    const p = typeof path === 'string' ? path : '';
    const id = p.endsWith('/supervisor.applied') ? 'applied' : /\/containers\/([^/]+)\/state\.json$/.exec(p)?.[1];
    if (id !== undefined && new Error().stack?.includes('supervisorHoldsContainer')) reads.push(id);
    return (real as (...a: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.readFileSync;
  syncBuiltinESMExports();
  try {
    await fn();
    return reads;
  } finally {
    fs.readFileSync = real;
    Error.stackTraceLimit = limit;
    syncBuiltinESMExports();
  }
}

const stateOf = (root: string, id: string) =>
  JSON.parse(readFileSync(join(root, 'containers', id, 'state.json'), 'utf8')) as { pid?: number };
const exited = (root: string, id: string) => fs.existsSync(join(root, 'containers', id, 'status'));

test('starting containers the supervisor already holds reads no state for it', { timeout: 300_000 }, async () => {
  const e = await e2eRoot((fn) => after(fn));
  const dir = e.project('again', { 'compose.yaml': `services:\n${yaml.join('\n')}\n` });
  const up = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  const ids = Array.from({ length: N }, (_, i) => `again-s${i + 1}-1`);
  // Exited by themselves as far as gantry knows (no stop mark): the set still holds them as they are.
  for (const id of ids) process.kill(stateOf(e.root, id).pid!, 'SIGKILL');
  for (let i = 0; i < 600 && !ids.every((id) => exited(e.root, id)); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(
    ids.every((id) => exited(e.root, id)),
    'every container exited',
  );
  const stack = compose({ files: [join(dir, 'compose.yaml')], root: e.root, projectName: 'again', stopTimeout: 1 });
  let env: Awaited<ReturnType<typeof stack.up>> | undefined;
  const reads = await holdsReads(async () => void (env = await stack.up()));
  try {
    assert.deepEqual(
      (await env!.ps()).map((p) => p.State),
      ids.map(() => 'running'),
    );
    assert.deepEqual(
      ids.map((id) => stateOf(e.root, id).pid !== undefined && !exited(e.root, id)),
      ids.map(() => true),
      'the same containers started again',
    );
    assert.deepEqual(
      reads.filter((r) => r !== 'applied'),
      [],
      'the starts read state.json again to compare the label',
    );
    const marker = reads.filter((r) => r === 'applied').length;
    assert.equal(marker, 1, `${N} starts read the supervisor's applied marker ${marker} times`);
  } finally {
    await env?.down();
  }
});
