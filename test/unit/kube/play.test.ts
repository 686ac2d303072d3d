// kube play's translation: the manifests generate writes → a Compose document that loads into the
// same project (services, commands with `$`, healthchecks, volumes, depends_on, ports, networks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { generate, manifestsToCompose, renderAll } from '../../../src/kube/index.ts';
import { loadProject } from '../../../src/project/index.ts';
import { KUBE_FIXTURES, REPO, loadFixture } from '../../helpers/kube-fixtures.ts';

async function roundTrip(file: string) {
  const original = await loadFixture(file);
  const text = renderAll(generate(original, { allowHostpath: true }).objects, 'yaml');
  const played = manifestsToCompose([{ file: 'k8s.yaml', text }]);
  const yaml = stringify(played.document);
  const back = await loadProject({
    files: ['-'],
    envFiles: [],
    profiles: [],
    environment: played.environment,
    workingDir: '/tmp',
    projectName: played.name,
    readStdin: async () => yaml,
  });
  return { original, back, played };
}

test('web-worker-kv: generate → play gives back the services as Compose ran them', async () => {
  const { original, back, played } = await roundTrip(join(REPO, 'examples/web-worker-kv/compose.yaml'));
  assert.equal(played.name, 'web-worker-kv');
  assert.deepEqual(Object.keys(back.services).sort(), ['kv', 'web', 'worker']);
  for (const name of ['kv', 'web', 'worker']) {
    const a = original.services[name]!;
    const b = back.services[name]!;
    assert.deepEqual(b.command, a.command, `${name}.command`);
    assert.deepEqual(b.healthcheck?.test, a.healthcheck?.test, `${name}.healthcheck`);
    assert.deepEqual(
      b.volumes.map((v) => [v.type, v.source, v.target]),
      a.volumes.map((v) => [v.type, v.source, v.target]),
      `${name}.volumes`,
    );
    assert.equal(b.init, true);
  }
  assert.equal(back.services['worker']!.depends_on['kv']?.condition, 'service_healthy');
  assert.deepEqual(
    back.services['web']!.ports.map((p) => [p.host_ip, p.published, p.target]),
    [['127.0.0.1', '8080', 80]],
  );
  assert.deepEqual(Object.keys(back.volumes).sort(), ['kvdata', 'site']);
});

test('all-fields: Job restart, secrets/configs per key, aliases and internal networks come back', async () => {
  const { back } = await roundTrip(join(KUBE_FIXTURES, 'all-fields/compose.yaml'));
  assert.equal(back.services['migrate']!.restart, 'on-failure');
  assert.deepEqual(back.services['migrate']!.command, ['--all', '$(not-a-var)']);
  assert.deepEqual(
    back.services['db']!.secrets?.map((s) => [s.source, s.target]),
    [['db-password-db_password', '/run/secrets/db_password']],
  );
  assert.equal(back.environment[back.secrets['db-password-db_password']!.environment!], 's3cret-from-file\n');
  assert.deepEqual(back.services['db']!.networks?.['back']?.aliases, ['database']);
  assert.equal(back.networks['back']!.internal, true);
  assert.equal(back.networks['front']!.internal ?? false, false);
  assert.equal(back.services['db']!.user, '999:999');
});
