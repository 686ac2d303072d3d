// Every valid loader fixture (test/fixtures/compose/load/*/ without error.txt) is also a valid
// compose project for the schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRaw } from '../../../src/project/load-raw.ts';
import { validateProject } from '../../../src/project/validate.ts';
import { fixtureOptions } from '../../helpers/fixture-options.ts';

const ROOT = fileURLToPath(new URL('../../fixtures/compose/load', import.meta.url));
const valid = readdirSync(ROOT)
  .sort()
  .filter((name) => !existsSync(join(ROOT, name, 'error.txt')));

test('there are valid load fixtures to check', () => assert.ok(valid.length >= 20, `only ${valid.length}`));

for (const name of valid) {
  test(`load fixture ${name} passes validation`, async () => {
    validateProject(await loadRaw(fixtureOptions(join(ROOT, name))));
  });
}
