// gantry's schema against the Compose Specification's (dclint's copy): every validate fixture is
// accepted by both (valid-*) or rejected by both (those with error.txt), as a whole project and,
// for valid ones, file by file before loading (so include/extends syntax is checked too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseComposeYaml } from '../../../src/project/load.ts';
import { validate } from '../../../src/project/generated/compose-validator.js';
import { fixtures, loadFixture, officialValidator } from '../../helpers/validate-fixtures.ts';

const official = officialValidator();
const verdicts = (data: unknown): { official: boolean; gantry: boolean } => ({
  official: official(data),
  gantry: validate(data),
});

for (const f of fixtures()) {
  const expected = f.error === undefined;
  test(`conformance ${f.name}: both schemas ${expected ? 'accept' : 'reject'} the project`, async () => {
    const raw = await loadFixture(f.dir);
    assert.deepEqual(verdicts(raw.data), { official: expected, gantry: expected }, JSON.stringify(official.errors));
  });
  if (!expected) continue;
  test(`conformance ${f.name}: both schemas accept each file as written`, () => {
    const files = readdirSync(f.dir, { recursive: true })
      .map(String)
      .filter((p) => /\.ya?ml$/.test(p));
    assert.ok(files.length > 0);
    for (const file of files) {
      const path = join(f.dir, file);
      for (const layer of parseComposeYaml(readFileSync(path, 'utf8'), path)) {
        assert.deepEqual(
          verdicts(layer.data),
          { official: true, gantry: true },
          `${relative(f.dir, path)}: ${JSON.stringify(official.errors)}`,
        );
      }
    }
  });
}
