// Data-driven loader tests: each directory under test/fixtures/compose/load/ is one project.
// args.json gives the options; merged.json the expected {name, data, activeProfiles, warnings}
// (with ${FIXTURE} for the fixture's absolute path) or error.txt the exact one-line error (paths
// relative to the fixture). An optional positions.json maps key paths to `file:line:col`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRaw } from '../../../src/project/load-raw.ts';
import { fixtureOptions as options } from '../../helpers/fixture-options.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/compose/load');

const read = (dir: string, f: string): string | undefined =>
  existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : undefined;

const cases = readdirSync(ROOT).sort();

test('fixture count', () => assert.ok(cases.length >= 40, `only ${cases.length} fixtures`));

for (const name of cases) {
  const dir = join(ROOT, name);
  test(`load fixture ${name}`, async () => {
    const expectedError = read(dir, 'error.txt');
    if (expectedError !== undefined) {
      await assert.rejects(loadRaw(options(dir)), (e: Error) => {
        assert.equal(e.name, 'ConfigError', e.stack);
        assert.equal(e.message.split(`${dir}/`).join(''), expectedError.trim());
        return true;
      });
      return;
    }
    const raw = await loadRaw(options(dir));
    const got = JSON.parse(
      JSON.stringify({ name: raw.name, data: raw.data, activeProfiles: raw.activeProfiles, warnings: raw.warnings }),
    );
    const expected = JSON.parse(read(dir, 'merged.json')!.split('${FIXTURE}').join(dir));
    assert.deepEqual(got, expected);
    const positions = read(dir, 'positions.json');
    if (positions) {
      for (const [path, where] of Object.entries(JSON.parse(positions) as Record<string, string>)) {
        const keyPath = path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
        const p = raw.positions(keyPath);
        assert.equal(p && `${p.file.split(`${dir}/`).join('')}:${p.line}:${p.col}`, where, path);
      }
    }
  });
}
