// Normalizers assume the schema's shapes but must not crash on anything else: odd input gives a
// ConfigError naming the key path (and the position, when the document has one). Also: `~` paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeProject } from '../../../src/project/normalize/index.ts';
import { requireSupported } from '../../../src/project/unsupported.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProject, projectFromRaw } from '../../../src/project/index.ts';
import type { RawProject } from '../../../src/project/raw.ts';
import { fixtureOptions } from '../../helpers/fixture-options.ts';

const rawOf = (data: Record<string, unknown>): RawProject => ({
  name: 'odd',
  projectDirectory: '/srv/odd',
  configFiles: ['/srv/odd/compose.yaml'],
  environment: {},
  data,
  allProfiles: [],
  activeProfiles: [],
  positions: () => ({ file: '/srv/odd/compose.yaml', line: 1, col: 1 }),
  keyPositions: () => undefined,
  warnings: [],
});

test('odd shapes become ConfigErrors with the key path', () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ services: [] }, 'services: must be a mapping'],
    [{ services: { a: 'x' } }, 'services.a: must be a mapping'],
    [{ services: { a: { image: 'i', ports: 'x' } } }, 'services.a.ports: must be a list'],
    [
      { services: { a: { image: 'i', ports: [{ target: 'http' }] } } },
      'services.a.ports[0].target: must be an integer',
    ],
    [
      { services: { a: { image: 'i', volumes: [{ type: 'bind', target: '/x' }] } } },
      'services.a.volumes[0]: a bind mount needs a source',
    ],
    [
      { services: { a: { image: 'i', volumes: [{ type: 'weird', target: '/x' }] } } },
      'services.a.volumes[0].type: unknown volume type "weird"',
    ],
    [{ services: { a: { image: 'i', healthcheck: 'x' } } }, 'services.a.healthcheck: must be a mapping'],
    [
      { services: { a: { image: 'i', depends_on: { b: { condition: 'ready' } } } } },
      'services.a.depends_on.b.condition: unknown condition "ready"',
    ],
    [
      { services: { a: { image: 'i', environment: 'A=1' } } },
      'services.a.environment: must be a mapping or a list of KEY=VALUE',
    ],
    [
      { services: { a: { image: 'i', environment: { A: { nested: 1 } } } } },
      'services.a.environment.A: must be a string',
    ],
    [
      { services: { a: { image: 'i', ulimits: { nofile: { soft: 'x', hard: 1 } } } } },
      'services.a.ulimits.nofile.soft: must be an integer',
    ],
    [{ services: { a: { image: 'i', tty: 'maybe' } } }, 'services.a.tty: must be a boolean'],
    [{ services: { a: { image: 'i', secrets: [{ target: '/x' }] } } }, 'services.a.secrets[0]: missing source'],
    [{ services: { a: { image: 'i', cpus: 'many' } } }, 'services.a.cpus: must be a number'],
    [{ services: {}, networks: ['x'] }, 'networks: must be a mapping'],
    [{ services: {}, volumes: { v: 'x' } }, 'volumes.v: must be a mapping or empty'],
  ];
  for (const [data, message] of cases) {
    assert.throws(
      () => normalizeProject(rawOf(data)),
      (e: Error) => {
        assert.equal(e.name, 'ConfigError');
        assert.equal(e.message, `/srv/odd/compose.yaml:1:1: ${message}`);
        return true;
      },
      message,
    );
  }
});

test('requireSupported fails on an unsupported field of the services a command needs', () => {
  const project = projectFromRaw(rawOf({ services: { a: { image: 'i', cgroup_parent: 'p' }, b: { image: 'i' } } }));
  assert.deepEqual(project.warnings, ['services.a.cgroup_parent: not supported by gantry yet']);
  assert.doesNotThrow(() => requireSupported(project, ['b']));
  assert.throws(() => requireSupported(project, ['a']), {
    name: 'UnsupportedError',
    message: 'services.a.cgroup_parent: not supported by gantry yet',
  });
  assert.throws(() => requireSupported(project), { name: 'UnsupportedError' });
});

test('`~` in env_file, bind sources, build contexts and secret files is the home directory', async (t) => {
  const home = mkdtempSync(join(tmpdir(), `gantry-home-${process.pid}-`));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  writeFileSync(join(home, 'app.env'), 'FROM_HOME=1\n');
  writeFileSync(
    join(home, 'compose.yaml'),
    'services:\n  a:\n    build: ~/ctx\n    env_file: ~/app.env\n    volumes: ["~/data:/data"]\n    secrets: [s]\nsecrets:\n  s:\n    file: ~/secret.txt\n',
  );
  const p = await loadProject({ files: [], envFiles: [], profiles: [], environment: { HOME: home }, workingDir: home });
  const a = p.services.a!;
  assert.deepEqual(
    [a.environment, a.env_file?.[0]?.path, a.build?.context, a.volumes[0]?.source, p.secrets.s?.file],
    [{ FROM_HOME: '1' }, join(home, 'app.env'), join(home, 'ctx'), join(home, 'data'), join(home, 'secret.txt')],
  );
});

test('services of inactive profiles are listed as disabled; optional dependencies on them are left out', async () => {
  const dir = join(import.meta.dirname, '../../fixtures/compose/normalize/depends-on-optional-disabled');
  const off = await loadProject(fixtureOptions(dir));
  // `data` is the implicit dependency of volumes_from, as in Compose.
  assert.deepEqual([off.disabledServices, Object.keys(off.services.web!.depends_on)], [['metrics'], ['data']]);
  const on = await loadProject({ ...fixtureOptions(dir), profiles: ['monitoring'] });
  assert.deepEqual([on.disabledServices, Object.keys(on.services.web!.depends_on)], [[], ['metrics', 'data']]);
});
