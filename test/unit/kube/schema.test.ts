// Every object `kube generate` emits validates against the Kubernetes OpenAPI schemas
// (kubernetes-models), for each fixture and option set; and the check itself catches a bad object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { generate, helmFiles, kustomizeFiles, validateObjects } from '../../../src/kube/index.ts';
import type { GenerateOptions, KubeObject } from '../../../src/kube/index.ts';
import { KUBE_FIXTURES, REPO, loadFixture } from '../../helpers/kube-fixtures.ts';
import { validateWithModels } from '../../helpers/kube-models.ts';

const RUNS: readonly [string, GenerateOptions][] = [
  [join(KUBE_FIXTURES, 'all-fields/compose.yaml'), {}],
  [
    join(KUBE_FIXTURES, 'all-fields/compose.yaml'),
    { serviceType: 'LoadBalancer', ingressHost: 'a.example', namespace: 'n1' },
  ],
  [
    join(KUBE_FIXTURES, 'all-fields/compose.yaml'),
    { serviceType: 'NodePort', secretsAsRefs: true, storageClass: 'standard' },
  ],
  [join(KUBE_FIXTURES, 'unmapped/compose.yaml'), {}],
  [join(REPO, 'examples/web-worker-kv/compose.yaml'), { allowHostpath: true, ingressHost: 'kv.example' }],
];

for (const [file, opts] of RUNS) {
  test(`every object generated from ${file.slice(REPO.length + 1)} ${JSON.stringify(opts)} is schema-valid`, async () => {
    const { objects } = generate(await loadFixture(file), opts);
    assert.ok(objects.length > 0);
    for (const o of objects) validateWithModels(o);
    validateObjects(objects); // the run-time check (bundled 1.30 schemas) agrees
    const kinds = new Set(objects.map((o) => o.kind));
    if (file.includes('all-fields')) {
      for (const k of [
        'Deployment',
        'StatefulSet',
        'Job',
        'Service',
        'PersistentVolumeClaim',
        'ConfigMap',
        'NetworkPolicy',
      ]) {
        assert.ok(kinds.has(k as KubeObject['kind']), `no ${k} emitted`);
      }
    }
  });
}

test('the schema check rejects an invalid object (a port given as a word)', async () => {
  const { objects } = generate(await loadFixture(join(KUBE_FIXTURES, 'all-fields/compose.yaml')));
  const svc = structuredClone(objects.find((o) => o.kind === 'Service' && o.metadata?.name === 'api')!);
  (svc as { spec: { ports: { port: unknown }[] } }).spec.ports[0]!.port = 'eighty';
  assert.throws(() => validateWithModels(svc), /Service\/.*port/);
  assert.throws(
    () => validateObjects([svc]),
    /Service\/api is not valid Kubernetes 1\.30: \/spec\/ports\/0\/port must be number/,
  );
  const typo = structuredClone(objects.find((o) => o.kind === 'Deployment')!);
  (typo as { spec: Record<string, unknown> }).spec['replica'] = 2;
  assert.throws(() => validateObjects([typo]), /must NOT have additional properties/);
});

test('helm and kustomize forms list every object', async () => {
  const project = await loadFixture(join(REPO, 'examples/web-worker-kv/compose.yaml'));
  const { objects } = generate(project, { allowHostpath: true });
  const k = kustomizeFiles(objects, 'demo');
  assert.equal(k.size, objects.length + 1);
  const kust = k.get('kustomization.yaml')!;
  for (const name of k.keys()) if (name !== 'kustomization.yaml') assert.ok(kust.includes(`- ${name}`), name);
  assert.match(kust, /namespace: demo/);
  const h = helmFiles(project, objects);
  assert.equal([...h.keys()].filter((n) => n.startsWith('templates/')).length, objects.length);
  assert.match(h.get('Chart.yaml')!, /apiVersion: v2/);
  assert.match(h.get('values.yaml')!, /kv:\n {4}image: gantry-test\/busybox:latest\n {4}replicas: 1/);
  assert.match(
    h.get('templates/statefulset-kv.yaml')!,
    /image: \{\{ index \.Values\.services "kv" "image" \| quote \}\}/,
  );
  assert.match(h.get('templates/statefulset-kv.yaml')!, /replicas: \{\{ index \.Values\.services "kv" "replicas" \}\}/);
});
