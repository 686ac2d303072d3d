// The attached-mode flags of `up` and the SERVICE=N words of --scale / scale: which services
// stream, which exits count, and what is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadProject } from '../../../src/project/index.ts';
import { attachRequest, checkAttachFlags, type AttachFlags } from '../../../src/cli/commands/up-attach.ts';
import { attachedServices } from '../../../src/engine/commands/attach.ts';
import { checkScale, parseScaleArgs } from '../../../src/cli/commands/scale-args.ts';
import { ConfigError, UsageError } from '../../../src/common/errors.ts';

const YAML = `
services:
  web: {image: busybox, depends_on: [api]}
  api: {image: busybox, depends_on: [db]}
  db: {image: busybox}
  noisy: {image: busybox, attach: false}
  fixed: {image: busybox, container_name: the-one}
`;
const project = () =>
  loadProject({
    files: ['-'],
    envFiles: [],
    profiles: [],
    environment: {},
    workingDir: '/tmp',
    projectName: 'demo',
    readStdin: async () => YAML,
  });
const flags = (f: Partial<AttachFlags> = {}): AttachFlags => ({
  attach: [],
  noAttach: [],
  color: false,
  logPrefix: true,
  ...f,
});
const signal = new AbortController().signal;

test('attached services: all but attach: false; SERVICE... alone or with dependencies; --attach; minus --no-attach', async () => {
  const p = await project();
  const attached = (services: string[], f: Partial<AttachFlags> = {}): readonly string[] =>
    attachedServices(p, attachRequest(p, services, flags(f), signal));
  assert.deepEqual(attached([]), ['api', 'db', 'fixed', 'web']);
  assert.deepEqual(attached(['web']), ['web']);
  assert.deepEqual(attached(['web'], { attachDependencies: true, noAttach: ['db'] }), ['api', 'web']);
  assert.deepEqual(attached([], { attach: ['noisy'] }), ['noisy']);
  const x = attachRequest(p, [], flags({ attach: ['web'], exitCodeFrom: 'db' }), signal);
  assert.deepEqual(
    [attached([], { attach: ['web'], exitCodeFrom: 'db' }), x.abortOn, x.exitCodeFrom],
    [['web'], 'exit', 'db'],
  );
  assert.equal(
    attachRequest(p, [], flags({ abortOnContainerFailure: true, exitCodeFrom: 'db' }), signal).abortOn,
    'failure',
  );
  assert.throws(
    () => attachRequest(p, [], flags({ noAttach: ['nope'] }), signal),
    (e) => e instanceof ConfigError && e.message === 'no such service: nope',
  );
});

test('refused combinations', () => {
  const refused = (f: Partial<AttachFlags>): boolean => {
    try {
      checkAttachFlags(flags(f));
      return false;
    } catch (e) {
      return e instanceof UsageError;
    }
  };
  assert.ok(refused({ detach: true, abortOnContainerFailure: true }));
  assert.ok(refused({ detach: true, attach: ['web'] }));
  assert.ok(refused({ wait: true, exitCodeFrom: 'web' }));
  assert.ok(refused({ abortOnContainerExit: true, abortOnContainerFailure: true }));
  assert.ok(!refused({ abortOnContainerFailure: true, exitCodeFrom: 'web' }), 'failure + exit-code-from is allowed');
  assert.ok(!refused({ detach: true, noAttach: ['web'] }));
});

test('SERVICE=N words; a fixed container_name cannot be scaled past 1', async () => {
  assert.deepEqual(
    parseScaleArgs(['web=3', 'db=0'], (w) => w),
    { web: 3, db: 0 },
  );
  for (const bad of ['web', 'web=', '=2', 'web=-1', 'web=two'])
    assert.throws(
      () => parseScaleArgs([bad], (w) => `bad ${w}`),
      (e) => e instanceof UsageError && e.message === `bad ${bad}`,
    );
  const p = await project();
  checkScale(p, { web: 5, fixed: 1 });
  assert.throws(() => checkScale(p, { fixed: 2 }), /service fixed uses the custom container name "the-one"/);
});
