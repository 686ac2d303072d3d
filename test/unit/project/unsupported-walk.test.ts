// findUnsupported walks the document once for every MODELLED_SUBKEYS pattern: the list it gives
// (and `config` prints) must keep the order a walk per pattern gave, for any mix of fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProject } from '../../../src/project/index.ts';
import { findUnsupported } from '../../../src/project/unsupported.ts';
import type { RawProject } from '../../../src/project/raw.ts';

const COMPOSE = `
x-top: 1
models: {m: {model: ai/x}}
services:
  zed:
    image: alpine
    deploy: {placement: {}, resources: {reservations: {cpus: "1", devices: []}}}
  app:
    image: alpine
    x-own: 1
    build: {context: ., ssh: [default], isolation: x, x-note: 3}
    uts: host
    cgroup_parent: p
    deploy:
      update_config: {}
      placement: {}
      resources: {reservations: {memory: 1m, generic_resources: []}, limits: {memory: 2m}}
    volumes:
      - {type: bind, source: ., target: /a, bind: {recursive: readonly}}
      - {type: volume, source: v, target: /b, volume: {labels: {k: v}}}
      - {type: bind, source: ., target: /c, bind: {recursive: readonly}}
    secrets: [s]
volumes: {v: {}}
secrets:
  s: {environment: S, template_driver: golang}
configs:
  c: {content: x, template_driver: golang}
`;

test('unsupported fields come in one fixed order: top level, then each service in name order', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-unsupported-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'compose.yaml'), COMPOSE);
  const p = await loadProject({ files: [], envFiles: [], profiles: [], environment: {}, workingDir: dir });
  assert.deepEqual(
    p.unsupported.map((f) => f.path),
    [
      'models',
      'secrets.s.template_driver',
      'configs.c.template_driver',
      'services.app.cgroup_parent',
      'services.app.uts',
      'services.app.build.isolation',
      'services.app.build.ssh',
      'services.app.deploy.placement',
      'services.app.deploy.update_config',
      'services.app.deploy.resources.reservations.generic_resources',
      'services.app.volumes[0].bind.recursive',
      'services.app.volumes[2].bind.recursive',
      'services.app.volumes[1].volume.labels',
      'services.zed.deploy.placement',
      'services.zed.deploy.resources.reservations.devices',
    ],
  );
  // Each entry keeps its value, a copy `config` prints back.
  assert.deepEqual(p.unsupported.find((f) => f.path === 'services.app.build.ssh')?.value, ['default']);
  assert.deepEqual(p.unsupported.find((f) => f.path === 'models')?.value, { m: { model: 'ai/x' } });
});

test('the document is walked once for all the patterns, not once per pattern', () => {
  // 400 services cost ~5 ms more per extra walk (bench/RESULTS.md); each walk lists the services once.
  let listed = 0;
  const services = new Proxy(
    Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`s${i}`, { image: 'a', deploy: { resources: {} } }])),
    {
      ownKeys(target) {
        listed++;
        return Reflect.ownKeys(target);
      },
    },
  );
  const raw = { data: { services, secrets: {}, configs: {} } } as unknown as RawProject;
  assert.deepEqual(findUnsupported(raw), []);
  assert.equal(listed, 1);
});
