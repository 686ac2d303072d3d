// Host ports are inputs resolved before planning: the ops that make a container carry the ports
// chosen for it (random ones fixed by then), and the plan's text shows them, as `--dry-run` prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPlan, reconcile, type PlannedPort } from '../../../src/plan/index.ts';
import { inlineProject } from '../../helpers/inline-project.ts';

const STACK = `services:
  web: {image: busybox, ports: ["80", "127.0.0.1::53/udp"]}
  db: {image: busybox}
`;

test('create-container carries its chosen ports and the plan prints them', async () => {
  const p = await inlineProject(STACK);
  const ports = new Map<string, readonly PlannedPort[]>([
    [
      'demo-web-1',
      [
        { hostIp: '', hostPort: 40123, containerPort: 80, protocol: 'tcp' },
        { hostIp: '127.0.0.1', hostPort: 40124, containerPort: 53, protocol: 'udp' },
      ],
    ],
    ['demo-db-1', []],
  ]);
  const none = { containers: [], networks: [], volumes: [] };
  const plan = reconcile({ project: p, imageIds: {}, ports }, none);
  const web = plan.ops.find((op) => op.id === 'create-container:demo-web-1');
  assert.deepEqual(web?.ports, ports.get('demo-web-1'));
  assert.equal(plan.ops.find((op) => op.id === 'create-container:demo-db-1')?.ports, undefined);
  assert.match(
    formatPlan(plan),
    /^create-container +demo-web-1 ports 40123->80\/tcp,127\.0\.0\.1:40124->53\/udp {2}\(missing\)/m,
  );
  assert.match(formatPlan(plan), /^create-container +demo-db-1 {2}\(missing\)/m);
});

test('a recreated container carries its ports too', async () => {
  const p = await inlineProject(STACK);
  const ports = new Map([
    ['demo-web-1', [{ hostIp: '', hostPort: 40123, containerPort: 80, protocol: 'tcp' as const }]],
  ]);
  const observed = {
    containers: [
      {
        name: 'demo-web-1',
        service: 'web',
        number: 1,
        configHash: 'old',
        imageId: '',
        oneOff: false,
        status: 'running' as const,
      },
    ],
    networks: ['demo_default'],
    volumes: [],
  };
  const plan = reconcile({ project: p, imageIds: {}, ports }, observed, { services: ['web'] });
  assert.match(formatPlan(plan), /^recreate +demo-web-1 ports 40123->80\/tcp {2}\(config hash changed\)/m);
});
