// `run` containers in the planner, as Compose treats them: `down` leaves them unless
// --remove-orphans (then even running ones go, before their dependencies stop); `up` counts only
// exited ones as orphans and never plans for them as replicas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inlineProject } from '../../helpers/inline-project.ts';
import { serviceHash } from '../../../src/project/hash.ts';
import type { Project } from '../../../src/project/model.ts';
import {
  formatPlan,
  orphansOf,
  planDown,
  planRun,
  reconcile,
  type Observed,
  type ObservedContainer,
} from '../../../src/plan/index.ts';

const STACK = 'services:\n  db: {image: busybox}\n  tests: {image: busybox, depends_on: [db]}\n';

const project = (): Promise<Project> => inlineProject(STACK);

function container(
  p: Project,
  name: string,
  service: string,
  more: Partial<ObservedContainer> = {},
): ObservedContainer {
  return {
    name,
    service,
    number: 1,
    configHash: serviceHash(p.services[service]!),
    imageId: 'sha256:img',
    oneOff: false,
    status: 'running',
    ...more,
  };
}

async function observed(): Promise<{ p: Project; o: Observed }> {
  const p = await project();
  const o: Observed = {
    containers: [
      container(p, 'demo-db-1', 'db'),
      container(p, 'demo-tests-run-aaaaaaaaaaaa', 'tests', { oneOff: true }),
      container(p, 'demo-tests-run-bbbbbbbbbbbb', 'tests', { oneOff: true, status: 'exited', exitCode: 3 }),
    ],
    networks: ['demo_default'],
    volumes: [],
  };
  return { p, o };
}

test('down keeps oneoffs; down --remove-orphans stops a running oneoff before its dependency', async () => {
  const { p, o } = await observed();
  assert.doesNotMatch(formatPlan(planDown(p, o)), /run-/);
  const text = formatPlan(planDown(p, o, { removeOrphans: true }));
  assert.match(text, /stop +demo-tests-run-aaaaaaaaaaaa +\(orphan\)/);
  assert.match(text, /remove +demo-tests-run-bbbbbbbbbbbb +\(orphan\)/);
  assert.match(text, /stop +demo-db-1 +\(down\) +after stop:demo-tests-run-aaaaaaaaaaaa/);
});

test('up: only an exited oneoff is an orphan; oneoffs are never replicas to recreate or scale away', async () => {
  const { p, o } = await observed();
  assert.deepEqual(
    orphansOf(p, o).map((c) => c.name),
    ['demo-tests-run-bbbbbbbbbbbb'],
  );
  const up = formatPlan(
    reconcile({ project: p, imageIds: { db: 'sha256:img', tests: 'sha256:img' } }, o, { removeOrphans: true }),
  );
  assert.match(up, /remove +demo-tests-run-bbbbbbbbbbbb +\(orphan\)/);
  assert.doesNotMatch(up, /aaaaaaaaaaaa/);
  assert.match(up, /create-container demo-tests-1/);
});

test('run is one plan: the dependencies up as up brings them, missing networks, then the oneoff', async () => {
  const p = await project();
  const imageIds = { db: 'sha256:img', tests: 'sha256:img' };
  const none: Observed = { containers: [], networks: [], volumes: [] };
  assert.equal(
    formatPlan(planRun({ project: p, imageIds }, none, { service: 'tests', name: 'demo-tests-run-1' })),
    `project demo: 5 operations
create-network   demo_default  (missing)
create-container demo-db-1  (missing)  after create-network:demo_default
start            demo-db-1  (created)  after create-container:demo-db-1
create-container demo-tests-run-1  (run)  after create-container:demo-db-1, create-network:demo_default, start:demo-db-1
start            demo-tests-run-1  (run)  after create-container:demo-tests-run-1
`,
  );
  const { o } = await observed();
  assert.equal(
    formatPlan(planRun({ project: p, imageIds }, o, { service: 'tests', name: 'x' })),
    `project demo: 2 operations
create-container x  (run)
start            x  (run)  after create-container:x
`,
  );
  assert.doesNotMatch(
    formatPlan(planRun({ project: p, imageIds }, none, { service: 'tests', name: 'x', noDeps: true })),
    /demo-db-1/,
  );
});
