// Golden-text tests of the planner: inline compose YAML + an observed state → plan.format().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inlineProject } from '../../helpers/inline-project.ts';
import { serviceHash } from '../../../src/project/hash.ts';
import type { Project } from '../../../src/project/model.ts';
import {
  formatPlan,
  planDown,
  reconcile,
  type Observed,
  type ObservedContainer,
  type UpOptions,
} from '../../../src/plan/index.ts';
import { ConfigError } from '../../../src/common/errors.ts';

const STACK = `
services:
  db: {image: busybox, volumes: [data:/data]}
  api: {image: busybox, depends_on: {db: {condition: service_healthy}}, environment: {A: "1"}}
  web: {image: busybox, depends_on: [api], ports: ["8080:80"]}
volumes: {data: {}}
`;

const project = (yaml: string): Promise<Project> => inlineProject(yaml);

const imageIds = { db: 'sha256:img', api: 'sha256:img', web: 'sha256:img' };
const plan = (p: Project, observed: Observed, o: UpOptions = {}) =>
  formatPlan(reconcile({ project: p, imageIds }, observed, o));
const none: Observed = { containers: [], networks: [], volumes: [] };

function running(p: Project, service: string, more: Partial<ObservedContainer> = {}): ObservedContainer {
  const svc = p.services[service];
  return {
    name: `demo-${service}-1`,
    service,
    number: 1,
    configHash: svc ? serviceHash(svc) : 'x',
    imageId: 'sha256:img',
    oneOff: false,
    status: 'running',
    ...more,
  };
}

test('a fresh project: networks and volumes first, containers started in dependency order', async () => {
  const p = await project(STACK);
  assert.equal(
    plan(p, none),
    `project demo: 8 operations
create-network   demo_default  (missing)
create-volume    demo_data  (missing)
create-container demo-api-1  (missing)  after create-network:demo_default
create-container demo-db-1  (missing)  after create-network:demo_default, create-volume:demo_data
create-container demo-web-1  (missing)  after create-network:demo_default
start            demo-db-1  (created)  after create-container:demo-db-1
start            demo-api-1  (created)  after create-container:demo-api-1, start:demo-db-1
start            demo-web-1  (created)  after create-container:demo-web-1, start:demo-api-1
`,
  );
});

test('everything running and unchanged: nothing to do', async () => {
  const p = await project(STACK);
  const observed: Observed = {
    containers: ['db', 'api', 'web'].map((s) => running(p, s)),
    networks: ['demo_default'],
    volumes: ['demo_data'],
  };
  assert.equal(plan(p, observed), 'project demo: nothing to do\n');
});

test('one changed service is the only one recreated; a stopped one is started; --no-recreate keeps it', async () => {
  const p = await project(STACK);
  const observed: Observed = {
    containers: [
      running(p, 'db', { status: 'exited', exitCode: 0 }),
      running(p, 'api', { configHash: 'old' }),
      running(p, 'web'),
    ],
    networks: ['demo_default'],
    volumes: ['demo_data'],
  };
  assert.equal(
    plan(p, observed),
    `project demo: 3 operations
recreate         demo-api-1  (config hash changed)
start            demo-db-1  (not running)
start            demo-api-1  (recreated)  after recreate:demo-api-1, start:demo-db-1
`,
  );
  assert.equal(
    plan(p, observed, { noRecreate: true }),
    `project demo: 1 operation
start            demo-db-1  (not running)
`,
  );
});

test('image updated, forced recreate, and --no-start', async () => {
  const p = await project(STACK);
  const observed: Observed = {
    containers: [running(p, 'db', { imageId: 'sha256:old' })],
    networks: ['demo_default'],
    volumes: ['demo_data'],
  };
  const text = plan(p, observed, { services: ['db'] });
  assert.equal(
    text,
    `project demo: 2 operations
recreate         demo-db-1  (image updated)
start            demo-db-1  (recreated)  after recreate:demo-db-1
`,
  );
  assert.match(
    plan(p, { ...observed, containers: [running(p, 'db')] }, { services: ['db'], forceRecreate: true }),
    /recreate +demo-db-1 {2}\(forced recreate\)/,
  );
  assert.doesNotMatch(plan(p, none, { noStart: true }), /^start/m);
});

test('SERVICE pulls in its dependencies unless --no-deps', async () => {
  const p = await project(STACK);
  const withDeps = plan(p, none, { services: ['api'] });
  assert.match(withDeps, /create-container demo-db-1/);
  assert.doesNotMatch(withDeps, /demo-web-1/);
  const alone = plan(p, none, { services: ['api'], noDeps: true });
  assert.doesNotMatch(alone, /demo-db-1|demo_data/);
});

test('scale down and orphans, with causes', async () => {
  const p = await project(STACK.replace('web: {image: busybox,', 'web: {image: busybox, scale: 1,'));
  const observed: Observed = {
    containers: [
      ...['db', 'api', 'web'].map((s) => running(p, s)),
      running(p, 'web', { name: 'demo-web-2', number: 2 }),
      running(p, 'old', { name: 'demo-old-1', status: 'exited' }),
    ],
    networks: ['demo_default'],
    volumes: ['demo_data'],
  };
  assert.equal(
    plan(p, observed, { removeOrphans: true }),
    `project demo: 3 operations
remove           demo-old-1  (orphan)
stop             demo-web-2  (scale 2 → 1)
remove           demo-web-2  (scale 2 → 1)  after stop:demo-web-2
`,
  );
  assert.match(plan(p, observed, { scale: { web: 3 } }), /create-container demo-web-3 {2}\(missing\)/);
});

test('scaling down removes the highest numbers first; deploy.replicas gives containers 1..N', async () => {
  const p = await project(STACK);
  const webs = [3, 1, 4, 2].map((n) => running(p, 'web', { name: `demo-web-${n}`, number: n }));
  const observed: Observed = {
    containers: [...['db', 'api'].map((s) => running(p, s)), ...webs],
    networks: ['demo_default'],
    volumes: ['demo_data'],
  };
  const down = plan(p, observed, { scale: { web: 2 } });
  assert.deepEqual(
    [...down.matchAll(/^remove +(\S+) +\((.*?)\)/gm)].map((m) => [m[1], m[2]]),
    [
      ['demo-web-3', 'scale 4 → 2'],
      ['demo-web-4', 'scale 4 → 2'],
    ],
  );
  assert.doesNotMatch(down, /demo-web-[12]/);
  const replicated = await project(
    STACK.replace('web: {image: busybox,', 'web: {image: busybox, deploy: {replicas: 3},'),
  );
  const fresh = plan(replicated, none);
  assert.deepEqual(
    [...fresh.matchAll(/^create-container (demo-web-\d)/gm)].map((m) => m[1]),
    ['demo-web-1', 'demo-web-2', 'demo-web-3'],
  );
  assert.match(plan(replicated, none, { scale: { web: 1 } }), /demo-web-1/);
  assert.doesNotMatch(plan(replicated, none, { scale: { web: 1 } }), /demo-web-2/);
});

test('down stops dependents first, removes containers once all stopped, then networks; -v removes volumes', async () => {
  const p = await project(STACK);
  const observed: Observed = {
    containers: ['db', 'api', 'web'].map((s) => running(p, s)),
    networks: ['demo_default'],
    volumes: ['demo_data'],
  };
  assert.equal(
    formatPlan(planDown(p, observed, { volumes: true })),
    `project demo: 8 operations
stop             demo-web-1  (down)
stop             demo-api-1  (down)  after stop:demo-web-1
stop             demo-db-1  (down)  after stop:demo-api-1
remove           demo-api-1  (down)  after stop:demo-api-1, stop:demo-db-1, stop:demo-web-1
remove           demo-db-1  (down)  after stop:demo-api-1, stop:demo-db-1, stop:demo-web-1
remove           demo-web-1  (down)  after stop:demo-api-1, stop:demo-db-1, stop:demo-web-1
remove-network   demo_default  (down)  after remove:demo-api-1, remove:demo-db-1, remove:demo-web-1
remove-volume    demo_data  (down -v)  after remove:demo-api-1, remove:demo-db-1, remove:demo-web-1
`,
  );
  assert.doesNotMatch(formatPlan(planDown(p, observed)), /remove-volume/);
});

test('implicit edges: network_mode service: and volumes_from order creation; cycles are named', async () => {
  const p = await project(
    'services:\n  a: {image: busybox}\n  b: {image: busybox, network_mode: "service:a", volumes_from: [a]}\n',
  );
  assert.match(plan(p, none), /create-container demo-b-1 {2}\(missing\) {2}after start:demo-a-1/);
  // Also when depends_on names the same service: the namespace must exist before b is created.
  const same = await project(
    'services:\n  a: {image: busybox}\n  b: {image: busybox, network_mode: "service:a", depends_on: [a]}\n',
  );
  assert.match(plan(same, none), /create-container demo-b-1 {2}\(missing\) {2}after start:demo-a-1/);
  // The loader refuses cycles itself; the planner names one too if handed a model with one.
  const q = await project('services:\n  a: {image: x, links: [b]}\n  b: {image: x}\n');
  const b = q.services['b']!;
  const cyclic: Project = {
    ...q,
    services: {
      ...q.services,
      b: { ...b, depends_on: { a: { condition: 'service_started', required: true, restart: false } } },
    },
  };
  assert.throws(
    () => reconcile({ project: cyclic, imageIds: {} }, none),
    (e: unknown) => e instanceof ConfigError && /cycle: a → b → a/.test(e.message),
  );
});

test('depends_on restart: true restarts a running dependent when its dependency is recreated', async () => {
  const p = await project(
    'services:\n  db: {image: busybox, environment: {V: "2"}}\n  api: {image: busybox, depends_on: {db: {condition: service_started, restart: true}}}\n',
  );
  const observed: Observed = {
    containers: [running(p, 'db', { configHash: 'old' }), running(p, 'api')],
    networks: ['demo_default'],
    volumes: [],
  };
  assert.equal(
    plan(p, observed),
    `project demo: 4 operations
recreate         demo-db-1  (config hash changed)
stop             demo-api-1  (dependency db recreated)
start            demo-db-1  (recreated)  after recreate:demo-db-1
start            demo-api-1  (dependency db recreated)  after start:demo-db-1, stop:demo-api-1
`,
  );
});
