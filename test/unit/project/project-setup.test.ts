// Project name rules, file discovery (in a temporary tree), COMPOSE_FILE and the profile filter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeProjectName, resolveProjectName } from '../../../src/project/project-name.ts';
import { discoverFiles, explicitFiles, projectDirectoryFor } from '../../../src/project/discover.ts';
import { applyProfiles, requestedProfiles } from '../../../src/project/profiles.ts';
import { isTrue } from '../../../src/project/env.ts';

const NORMALIZE: ReadonlyArray<readonly [string, string]> = [
  ['myapp', 'myapp'],
  ['My App', 'myapp'],
  ['my.app_v2-x', 'myapp_v2-x'],
  ['__lead', 'lead'],
  ['-dash', 'dash'],
  ['Ünïcode', 'ncode'],
  ['...', ''],
];
for (const [dir, name] of NORMALIZE)
  test(`normalize directory name ${JSON.stringify(dir)}`, () => assert.equal(normalizeProjectName(dir), name));

test('project name precedence: -p, COMPOSE_PROJECT_NAME, name:, directory', () => {
  const dir = '/x/Some.Dir';
  assert.equal(resolveProjectName({ flag: 'a', env: 'b', topLevel: 'c', projectDirectory: dir }), 'a');
  assert.equal(resolveProjectName({ env: 'b', topLevel: 'c', projectDirectory: dir }), 'b');
  assert.equal(resolveProjectName({ topLevel: 'c', projectDirectory: dir }), 'c');
  assert.equal(resolveProjectName({ projectDirectory: dir }), 'somedir');
  assert.throws(
    () => resolveProjectName({ env: 'UPPER', projectDirectory: dir }),
    /invalid project name "UPPER" \(from COMPOSE_PROJECT_NAME\)/,
  );
  assert.throws(() => resolveProjectName({ flag: '-x', projectDirectory: dir }), /invalid project name "-x"/);
  assert.equal(resolveProjectName({ topLevel: 'My App', projectDirectory: dir }), 'myapp');
  assert.equal(resolveProjectName({ topLevel: '...', projectDirectory: dir }), 'somedir');
  assert.throws(() => resolveProjectName({ projectDirectory: '/x/...' }), /project name must not be empty/);
});

test('discovery: upward search, override beside the chosen file, clear error when none', (t) => {
  const root = mkdtempSync(join(tmpdir(), `gantry-project-${process.pid}-`));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'proj/a/b'), { recursive: true });
  writeFileSync(join(root, 'proj/docker-compose.yml'), 'services: {}\n');
  writeFileSync(join(root, 'proj/docker-compose.override.yaml'), 'services: {}\n');
  const found = discoverFiles([], join(root, 'proj/a/b'));
  assert.deepEqual(found.files, [
    join(root, 'proj/docker-compose.yml'),
    join(root, 'proj/docker-compose.override.yaml'),
  ]);
  assert.deepEqual(found.warnings, []);
  assert.equal(projectDirectoryFor(undefined, found.files, '/elsewhere'), join(root, 'proj'));
  assert.equal(projectDirectoryFor('rel', found.files, '/elsewhere'), '/elsewhere/rel');
  assert.equal(projectDirectoryFor(undefined, ['-'], '/cwd'), '/cwd');
  mkdirSync(join(root, 'empty'));
  // The temp dir's parents (/tmp, /) hold no compose file on a CI machine.
  assert.throws(() => discoverFiles([], join(root, 'empty')), /no configuration file provided/);
  assert.throws(() => discoverFiles([join(root, 'missing.yaml')], root), /compose file .*missing.yaml not found/);
});

test('COMPOSE_FILE is split on COMPOSE_PATH_SEPARATOR (default ":") and ignored when -f is given', () => {
  assert.deepEqual(explicitFiles([], { COMPOSE_FILE: 'a.yaml:b.yaml' }, '/p'), ['/p/a.yaml', '/p/b.yaml']);
  assert.deepEqual(explicitFiles([], { COMPOSE_FILE: 'a.yaml;/abs/b.yaml', COMPOSE_PATH_SEPARATOR: ';' }, '/p'), [
    '/p/a.yaml',
    '/abs/b.yaml',
  ]);
  assert.deepEqual(explicitFiles(['x.yaml', '-'], { COMPOSE_FILE: 'a.yaml' }, '/p'), ['/p/x.yaml', '-']);
});

test('boolean variables read like Go strconv.ParseBool', () => {
  for (const v of ['1', 'true', 'TRUE', 'True', 't']) assert.equal(isTrue(v), true, v);
  for (const v of [undefined, '', '0', 'false', 'yes']) assert.equal(isTrue(v), false, String(v));
});

test('profiles: requested from flags and COMPOSE_PROFILES; links and volumes_from count as needs', () => {
  assert.deepEqual(requestedProfiles([], ' b, ,a,b'), ['b', 'a']);
  assert.deepEqual(requestedProfiles(['a', 'a'], 'ignored'), ['a']);
  const data = {
    services: {
      web: { links: ['db:database'] },
      db: { profiles: ['data'] },
      job: { volumes_from: ['store:ro'], profiles: ['jobs'] },
      store: { profiles: ['data'] },
    },
  };
  assert.throws(
    () => applyProfiles(data, []),
    /service "db" is required by "web" but is disabled. Can be enabled by profiles \[data\]/,
  );
  const on = applyProfiles(data, ['data']);
  assert.deepEqual(Object.keys(on.data.services as object), ['web', 'db', 'store']);
  assert.deepEqual(on.allProfiles, ['data', 'jobs']);
  assert.throws(() => applyProfiles(data, ['jobs']), /service "db" is required by "web"/);
  assert.deepEqual(Object.keys(applyProfiles(data, ['*']).data.services as object), ['web', 'db', 'job', 'store']);
});
