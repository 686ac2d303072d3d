// One assertion per Compose field of issue 19's mapping, read from the all-fields fixture, so a
// broken mapping names itself (the golden test shows the whole diff).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Deployment, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { ConfigMap, PersistentVolumeClaim, Secret, Service } from 'kubernetes-types/core/v1.js';
import type { Ingress, NetworkPolicy } from 'kubernetes-types/networking/v1.js';
import { generate, type GenerateOptions, type KubeObject } from '../../../src/kube/index.ts';
import { KUBE_FIXTURES, loadFixture } from '../../helpers/kube-fixtures.ts';

async function objects(opts: GenerateOptions = {}): Promise<readonly KubeObject[]> {
  return generate(await loadFixture(join(KUBE_FIXTURES, 'all-fields/compose.yaml')), opts).objects;
}
function find<T extends KubeObject>(all: readonly KubeObject[], kind: string, name: string): T {
  const o = all.find((x) => x.kind === kind && x.metadata?.name === name);
  assert.ok(o, `${kind}/${name} not emitted`);
  return o as T;
}

test('workload kinds: Deployment, StatefulSet for a volume owner, Job for a completed dependency; replicas', async () => {
  const all = await objects();
  assert.equal(find<Deployment>(all, 'Deployment', 'api').spec!.replicas, 3);
  const db = find<StatefulSet>(all, 'StatefulSet', 'db');
  assert.equal(db.spec!.serviceName, 'db');
  const job = find<Job>(all, 'Job', 'migrate');
  assert.equal(job.spec!.backoffLimit, 3);
  assert.equal(job.spec!.template.spec!.restartPolicy, 'OnFailure');
  for (const o of all) assert.equal(o.metadata!.labels!['app.kubernetes.io/managed-by'], 'gantry');
});

test('container: entrypoint→command, command→args ($ kept literal), env with env_file, working_dir, user, security', async () => {
  const all = await objects();
  const m = find<Job>(all, 'Job', 'migrate').spec!.template.spec!.containers[0]!;
  assert.deepEqual(m.command, ['/bin/migrate']);
  assert.deepEqual(m.args, ['--all', '$$(not-a-var)']);
  const api = find<Deployment>(all, 'Deployment', 'api').spec!.template;
  const c = api.spec!.containers[0]!;
  assert.deepEqual(
    c.env?.map((e) => e.name),
    ['DB_HOST', 'EMPTY', 'FROM_ENV_FILE', 'LOG_LEVEL'],
  );
  assert.equal(c.workingDir, '/app');
  assert.deepEqual(c.securityContext, {
    readOnlyRootFilesystem: true,
    capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
  });
  assert.equal(c.imagePullPolicy, 'Always');
  assert.equal(c.tty, true);
  assert.deepEqual(api.spec!.securityContext, {
    supplementalGroups: [2000],
    sysctls: [{ name: 'net.core.somaxconn', value: '1024' }],
  });
  assert.equal(api.spec!.shareProcessNamespace, true);
  assert.equal(api.spec!.hostname, 'api-host');
  assert.deepEqual(api.spec!.hostAliases, [{ ip: '10.0.0.9', hostnames: ['legacy.internal'] }]);
  assert.deepEqual(api.spec!.nodeSelector, { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64' });
  assert.equal(api.metadata!.labels!['com.example.tier'], 'backend');
  assert.equal(api.metadata!.annotations!['com.example.note'], 'free text, with spaces');
  assert.equal(api.metadata!.annotations!['example.com/owner'], 'team-a');
  const db = find<StatefulSet>(all, 'StatefulSet', 'db').spec!.template.spec!;
  assert.equal(db.containers[0]!.securityContext!.runAsUser, 999);
  assert.equal(db.containers[0]!.securityContext!.runAsGroup, 999);
  assert.equal(db.terminationGracePeriodSeconds, 45);
  assert.deepEqual(db.containers[0]!.resources, {
    limits: { cpu: '1500m', memory: '512Mi' },
    requests: { cpu: '250m', memory: '256Mi' },
  });
});

test('healthcheck → exec probes with timings; service_healthy → an init container waiting on the Service', async () => {
  const all = await objects();
  const db = find<StatefulSet>(all, 'StatefulSet', 'db').spec!.template.spec!;
  const live = db.containers[0]!.livenessProbe!;
  assert.deepEqual(live.exec!.command, ['/bin/sh', '-c', 'pg_isready -U postgres']);
  assert.deepEqual([live.periodSeconds, live.timeoutSeconds, live.failureThreshold], [5, 3, 4]);
  assert.deepEqual(db.containers[0]!.readinessProbe, live);
  assert.deepEqual(
    [db.containers[0]!.startupProbe!.periodSeconds, db.containers[0]!.startupProbe!.failureThreshold],
    [2, 14],
  );
  const init = find<Deployment>(all, 'Deployment', 'api').spec!.template.spec!.initContainers!;
  assert.equal(init.length, 1);
  assert.equal(init[0]!.image, 'busybox:1.36');
  assert.match(init[0]!.command!.join(' '), /until nc -z -w 2 db 5432/);
});

test('storage: named volume → PVC, tmpfs and shm_size → memory emptyDir, secrets and configs as files', async () => {
  const all = await objects({ storageClass: 'fast' });
  const pvc = find<PersistentVolumeClaim>(all, 'PersistentVolumeClaim', 'dbdata');
  assert.deepEqual(pvc.spec, {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: '1Gi' } },
    storageClassName: 'fast',
  });
  const db = find<StatefulSet>(all, 'StatefulSet', 'db').spec!.template.spec!;
  const byName = new Map(db.volumes!.map((v) => [v.name, v]));
  assert.deepEqual(byName.get('tmpfs-list-0')!.emptyDir, { medium: 'Memory', sizeLimit: '16Mi' });
  assert.deepEqual(byName.get('dshm')!.emptyDir, { medium: 'Memory', sizeLimit: '128Mi' });
  const cache = find<Deployment>(all, 'Deployment', 'cache').spec!.template.spec!;
  assert.deepEqual(cache.volumes![0]!.emptyDir, { medium: 'Memory', sizeLimit: '64Mi' });
  const secret = find<Secret>(all, 'Secret', 'db-password');
  assert.equal(Buffer.from(secret.data!['db_password']!, 'base64').toString(), 's3cret-from-file\n');
  assert.ok(
    db.containers[0]!.volumeMounts!.some(
      (m) => m.mountPath === '/run/secrets/db_password' && m.subPath === 'db_password',
    ),
  );
  const cm = find<ConfigMap>(all, 'ConfigMap', 'app-conf');
  assert.equal(cm.data!['app_conf'], 'listen 8080;\n');
  const refs = await objects({ secretsAsRefs: true });
  assert.equal(
    refs.some((o) => o.kind === 'Secret'),
    false,
  );
});

test('ports → Service (target and published ports), expose, aliases, service type, ingress', async () => {
  const all = await objects({ serviceType: 'LoadBalancer', ingressHost: 'shop.example' });
  const api = find<Service>(all, 'Service', 'api').spec!;
  assert.equal(api.type, 'LoadBalancer');
  assert.deepEqual(
    api.ports!.map((p) => `${p.port}->${p.targetPort}/${p.protocol}`),
    ['80->80/TCP', '8080->80/TCP', '9090->9090/UDP', '30090->9090/UDP'],
  );
  assert.deepEqual(
    find<Service>(all, 'Service', 'db').spec!.ports!.map((p) => p.port),
    [5432],
  );
  const alias = find<Service>(all, 'Service', 'database').spec!;
  assert.deepEqual(alias.selector, find<Service>(all, 'Service', 'db').spec!.selector);
  assert.equal(find<Service>(all, 'Service', 'cache').spec!.clusterIP, 'None');
  const ing = find<Ingress>(all, 'Ingress', 'shop').spec!.rules!;
  assert.deepEqual(
    ing.map((r) => [r.host, r.http!.paths[0]!.backend.service!.name]),
    [['shop.example', 'api']],
  );
});

test('networks → NetworkPolicies: members of a shared network only; internal → no egress beyond it', async () => {
  const all = await objects();
  const back = find<NetworkPolicy>(all, 'NetworkPolicy', 'network-back').spec!;
  assert.deepEqual(back.ingress, [{ from: [{ podSelector: { matchLabels: { 'network.gantry.dev/back': 'true' } } }] }]);
  assert.deepEqual(back.egress![0], { to: [{ podSelector: { matchLabels: { 'network.gantry.dev/back': 'true' } } }] });
  assert.equal(back.egress!.length, 2); // + DNS
  assert.deepEqual(find<NetworkPolicy>(all, 'NetworkPolicy', 'network-front').spec!.egress, [{}]);
  const cacheLabels = find<Deployment>(all, 'Deployment', 'cache').spec!.template.metadata!.labels!;
  assert.equal(cacheLabels['network.gantry.dev/back'], 'true');
  assert.equal(cacheLabels['network.gantry.dev/front'], undefined);
  const pub = find<NetworkPolicy>(all, 'NetworkPolicy', 'published-api').spec!;
  assert.deepEqual(pub.ingress, [
    {
      ports: [
        { protocol: 'TCP', port: 80 },
        { protocol: 'UDP', port: 9090 },
      ],
    },
  ]);
});
