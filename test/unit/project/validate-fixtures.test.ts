// Data-driven validation tests: each directory under test/fixtures/compose/validate/ is a project;
// with error.txt, validateProject must throw exactly that one line (paths relative to the
// fixture); without, it must pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateProject } from '../../../src/project/validate.ts';
import { fixtures, loadFixture } from '../../helpers/validate-fixtures.ts';

const all = fixtures();

test('validate fixture count', () => {
  assert.ok(all.filter((f) => f.error !== undefined).length >= 30, 'at least 30 invalid fixtures');
  assert.ok(all.filter((f) => f.error === undefined).length >= 25, 'at least 25 valid fixtures');
});

for (const f of all) {
  test(`validate fixture ${f.name}`, async () => {
    const raw = await loadFixture(f.dir);
    if (f.error === undefined) {
      validateProject(raw);
      return;
    }
    assert.throws(
      () => validateProject(raw),
      (e: Error) => {
        assert.equal(e.name, 'ConfigError', e.stack);
        assert.equal(e.message.split(`${f.dir}/`).join(''), f.error);
        return true;
      },
    );
  });
}
