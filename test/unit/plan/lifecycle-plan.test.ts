// Golden-text tests of the lifecycle planners (start, stop, restart, kill, rm, pause, unpause):
// an inline compose file and an observed state → the formatted plan, with no root and no runtime.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inlineProject } from '../../helpers/inline-project.ts';
import type { Project } from '../../../src/project/model.ts';
import {
  formatPlan,
  planKill,
  planPause,
  planRestart,
  planRm,
  planStart,
  planStop,
  type Observed,
  type ObservedContainer,
} from '../../../src/plan/index.ts';

const STACK = `
services:
  db: {image: busybox}
  api: {image: busybox, depends_on: [db]}
  web: {image: busybox, depends_on: [api]}
`;

const project = (yaml: string): Promise<Project> => inlineProject(yaml);

const c = (service: string, more: Partial<ObservedContainer> = {}): ObservedContainer => ({
  name: `demo-${service}-1`,
  service,
  number: 1,
  configHash: 'h',
  imageId: 'i',
  oneOff: false,
  status: 'running',
  ...more,
});
const observed = (...containers: ObservedContainer[]): Observed => ({
  containers,
  networks: ['demo_default'],
  volumes: [],
});
const ALL = ['db', 'api', 'web'];

test('stop: running ones only, dependents first (no oneoff); start: stopped ones, dependencies first', async () => {
  const p = await project(STACK);
  const o = observed(
    c('db'),
    c('api'),
    c('web', { status: 'exited', exitCode: 0 }),
    c('db', { name: 'demo-db-run-1', oneOff: true }),
  );
  const stop = formatPlan(planStop(p, o, ALL));
  assert.equal(
    stop,
    'project demo: 2 operations\nstop             demo-api-1  (stop)\nstop             demo-db-1  (stop)  after stop:demo-api-1\n',
  );
  const o2 = observed(c('db', { status: 'exited' }), c('api', { status: 'created' }), c('web'));
  const start = formatPlan(planStart(p, o2, ALL));
  assert.equal(
    start,
    'project demo: 2 operations\nstart            demo-db-1  (start)\nstart            demo-api-1  (start)  after start:demo-db-1\n',
  );
});

test('restart: every running one stops first, then all start in dependency order', async () => {
  const p = await project(STACK);
  const o = observed(c('db'), c('api', { status: 'exited' }));
  assert.equal(
    formatPlan(planRestart(p, o, ['db', 'api'])),
    `project demo: 3 operations
stop             demo-db-1  (restart)
start            demo-db-1  (restart)  after stop:demo-db-1
start            demo-api-1  (restart)  after start:demo-db-1, stop:demo-db-1
`,
  );
});

test('kill: the signal to each running container; --remove-orphans removes orphans after the kills', async () => {
  const p = await project(STACK);
  const o = observed(c('db'), c('api', { status: 'exited' }), c('gone'));
  assert.equal(
    formatPlan(planKill(p, o, ALL, 'SIGTERM', true)),
    `project demo: 2 operations
kill             demo-db-1 SIGTERM  (kill)
remove           demo-gone-1  (orphan)  after kill:demo-db-1
`,
  );
  assert.doesNotMatch(formatPlan(planKill(p, o, ALL, '9')), /remove/);
});

test('rm: stopped ones; with stop, running ones are stopped and removed too', async () => {
  const p = await project(STACK);
  const o = observed(c('db'), c('api', { status: 'exited' }));
  assert.equal(
    formatPlan(planRm(p, o, ALL)),
    `project demo: 1 operation
remove           demo-api-1  (rm)
`,
  );
  assert.equal(
    formatPlan(planRm(p, o, ALL, true)),
    `project demo: 3 operations
remove           demo-api-1  (rm)
stop             demo-db-1  (rm -s)
remove           demo-db-1  (rm)  after stop:demo-db-1
`,
  );
});

test('pause freezes running ones, unpause thaws paused ones, each leaves the other state alone', async () => {
  const p = await project(STACK);
  const o = observed(c('db'), c('api', { paused: true }), c('web', { status: 'exited' }));
  assert.equal(
    formatPlan(planPause(p, o, ALL, true)),
    'project demo: 1 operation\npause            demo-db-1  (pause)\n',
  );
  assert.equal(
    formatPlan(planPause(p, o, ALL, false)),
    'project demo: 1 operation\nunpause          demo-api-1  (unpause)\n',
  );
});
