// Data-driven tests of normalize → check → unsupported: each directory under
// test/fixtures/compose/normalize/ is one project (args.json as for the load fixtures).
// model.json is the expected {services, networks, volumes, secrets, configs, extensions,
// unsupported, warnings} (${FIXTURE} = the fixture's absolute path); error.txt the exact one-line
// error (paths relative to the fixture).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProject } from '../../../src/project/index.ts';
import { fixtureOptions } from '../../helpers/fixture-options.ts';
import { readFixtureFile } from '../../helpers/fixture-files.ts';
import { modelView } from '../../helpers/model-view.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/compose/normalize');
const cases = readdirSync(ROOT).sort();

test('normalize fixture count', () => assert.ok(cases.length >= 40, `only ${cases.length} fixtures`));

for (const name of cases) {
  const dir = join(ROOT, name);
  test(`normalize fixture ${name}`, async () => {
    const expectedError = readFixtureFile(dir, 'error.txt');
    if (expectedError !== undefined) {
      await assert.rejects(loadProject(fixtureOptions(dir)), (e: Error) => {
        assert.equal(e.name, 'ConfigError', e.stack);
        assert.equal(e.message.split(`${dir}/`).join(''), expectedError.trim());
        return true;
      });
      return;
    }
    const project = await loadProject(fixtureOptions(dir));
    const expected = JSON.parse(readFixtureFile(dir, 'model.json')!.split('${FIXTURE}').join(dir));
    assert.deepEqual(modelView(project), expected);
  });
}
