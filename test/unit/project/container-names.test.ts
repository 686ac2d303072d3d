// Container names are the model's (project/container-names.ts): one per replica, container_name
// honoured, `--scale` applied to the model; plan and engine read them and never spell a name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inlineProject } from '../../helpers/inline-project.ts';
import { firstContainer, withScale } from '../../../src/project/container-names.ts';
import { serviceHash } from '../../../src/project/hash.ts';
import { toComposeDocument } from '../../../src/project/to-compose.ts';
import { formatPlan, reconcile } from '../../../src/plan/index.ts';

const load = (yaml: string) => inlineProject(yaml);

const STACK = `services:
  web: {image: busybox, deploy: {replicas: 3}}
  db: {image: busybox, container_name: the-db}
  off: {image: busybox, scale: 0}
  side: {image: busybox, network_mode: "service:db", volumes_from: [db]}
`;

test('the model names every replica: container_name for the only one, else <project>-<service>-<n>', async () => {
  const p = await load(STACK);
  assert.deepEqual(p.services.web!.container_names, ['demo-web-1', 'demo-web-2', 'demo-web-3']);
  assert.deepEqual(p.services.db!.container_names, ['the-db']);
  assert.deepEqual(p.services.off!.container_names, []);
  assert.equal(firstContainer(p.services.db!), 'the-db');
  assert.throws(() => firstContainer(p.services.off!), /service off has no container/);
  const doc = JSON.stringify(toComposeDocument(p));
  assert.doesNotMatch(doc, /container_names/, '`config` prints the compose fields only');
});

test('--scale is applied to the model: names and replicas change, the hash does not', async () => {
  const p = await load(STACK);
  const scaled = withScale(p, { web: 1, side: 2 });
  assert.deepEqual(scaled.services.web!.container_names, ['demo-web-1']);
  assert.deepEqual(scaled.services.side!.container_names, ['demo-side-1', 'demo-side-2']);
  assert.equal(scaled.services.side!.deploy?.replicas, 2);
  assert.equal(serviceHash(scaled.services.web!, scaled), serviceHash(p.services.web!, p));
  assert.equal(withScale(p, { web: 3 }), p, 'nothing to change: the same project');
  assert.throws(() => withScale(p, { db: 2 }), /custom container name "the-db": remove it to scale/);
  assert.deepEqual(withScale(p, { db: 0 }).services.db!.container_names, []);
});

test('the plan names containers as the model does', async () => {
  const p = await load(STACK);
  const text = formatPlan(
    reconcile({ project: p, imageIds: {} }, { containers: [], networks: [], volumes: [] }, { scale: { web: 2 } }),
  );
  const created = [...text.matchAll(/^create-container +(\S+)/gm)].map((m) => m[1]).sort();
  assert.deepEqual(created, ['demo-side-1', 'demo-web-1', 'demo-web-2', 'the-db']);
});
