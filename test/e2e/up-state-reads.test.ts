// Starting a service waits on its dependencies by reading their containers' state, not every
// container on the host: a waiter once listed the whole containers dir, so each `up` parsed every
// state.json once per waiting service (quadratic in the project, and in other projects too; issue 20).
import fs from 'node:fs';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { compose } from '../../src/index.ts';

const IMG = 'gantry-test/busybox:latest';
const services = (n: number, dep: boolean): string =>
  Array.from({ length: n }, (_, i) =>
    [
      `  s${i + 1}:`,
      `    image: ${IMG}`,
      '    network_mode: none',
      '    command: ["sleep", "60"]',
      ...(dep && i > 0 ? ['    depends_on: [s1]'] : []),
    ].join('\n'),
  ).join('\n');

/** The containers whose state.json was read (all, and under waitForDependencies) while fn ran. */
async function stateReads(fn: () => Promise<void>): Promise<{ waits: Map<string, number>; all: Set<string> }> {
  const waits = new Map<string, number>();
  const all = new Set<string>();
  const real = fs.readFileSync;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  fs.readFileSync = ((path: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    const id = typeof path === 'string' ? /\/containers\/([^/]+)\/state\.json$/.exec(path)?.[1] : undefined;
    if (id !== undefined) {
      all.add(id);
      // V8's async stack traces name the awaiting callers: the dependency wait is in the chain.
      if (new Error().stack?.includes('waitForDependencies')) waits.set(id, (waits.get(id) ?? 0) + 1);
    }
    return (real as (...a: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.readFileSync;
  syncBuiltinESMExports();
  try {
    await fn();
    return { waits, all };
  } finally {
    fs.readFileSync = real;
    Error.stackTraceLimit = limit;
    syncBuiltinESMExports();
  }
}

test("a dependency wait reads its dependency's containers only", { timeout: 300_000 }, async () => {
  const e = await e2eRoot((fn) => after(fn));
  const other = e.project('bystand', { 'compose.yaml': `name: bystand\nservices:\n${services(3, false)}\n` });
  const up = await e.gantry(['up', '-d'], { cwd: other });
  assert.equal(up.exitCode, 0, up.stderr);
  const dir = e.project('chain', { 'compose.yaml': `services:\n${services(6, true)}\n` });
  const stack = compose({ files: [join(dir, 'compose.yaml')], root: e.root, stopTimeout: 1 });
  let env: Awaited<ReturnType<typeof stack.up>> | undefined;
  const { waits, all } = await stateReads(async () => void (env = await stack.up()));
  try {
    assert.ok(all.has('bystand-s1-1'), `the host's containers were never read: ${[...all].join(' ')}`);
    const dep = `${env!.projectName}-s1-1`;
    assert.ok(waits.has(dep), `no wait read the dependency ${dep}: ${JSON.stringify([...waits])}`);
    const others = [...waits.keys()].filter((id) => id !== dep);
    assert.deepEqual(others, [], "the dependency waits read containers that are not the dependency's");
  } finally {
    await env?.down();
  }
});
