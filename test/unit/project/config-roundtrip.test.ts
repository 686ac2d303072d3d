// `config` output (as the CLI prints it) is a compose file: for every valid fixture (load and normalize), the printed
// document validates against the official compose-spec schema (dclint's copy), and loading it
// again (from stdin, same project directory and options) gives the same model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { emitYaml } from '../../../src/common/yaml-emit.ts';
import { loadProject, toComposeDocument } from '../../../src/project/index.ts';
import { fixtureOptions } from '../../helpers/fixture-options.ts';
import { readFixtureFile } from '../../helpers/fixture-files.ts';
import { modelView } from '../../helpers/model-view.ts';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/compose');
// dclint exports no subpaths; its schema file is read from node_modules directly.
const schemaPath = resolve(FIXTURES, '../../../node_modules/dclint/schemas/compose.schema.json');
const { $schema: _drop, ...schema } = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

// Loader fixtures whose projects the cross-field checks reject (they test merging only).
const NOT_PROJECTS: Readonly<Record<string, string>> = {
  'load/extends-other-file': 'uses an undefined volume',
  'load/merge-unique-resources': 'uses an undefined volume',
};

const withoutWarnings = (v: unknown): unknown => ({ ...(v as Record<string, unknown>), warnings: undefined });

test('the skipped loader fixtures are indeed rejected as projects', async () => {
  for (const key of Object.keys(NOT_PROJECTS))
    await assert.rejects(loadProject(fixtureOptions(join(FIXTURES, key))), { name: 'ConfigError' }, key);
});

for (const group of ['load', 'normalize']) {
  for (const name of readdirSync(join(FIXTURES, group)).sort()) {
    const dir = join(FIXTURES, group, name);
    if (readFixtureFile(dir, 'error.txt') !== undefined || NOT_PROJECTS[`${group}/${name}`]) continue;
    test(`config round trip ${group}/${name}`, async () => {
      const opts = fixtureOptions(dir);
      const project = await loadProject(opts);
      const text = emitYaml(toComposeDocument(project, { escapeDollars: opts.interpolate !== false }));
      assert.ok(validate(parse(text)), `schema: ${JSON.stringify(validate.errors)}\n${text}`);
      const again = await loadProject({
        ...opts,
        files: ['-'],
        projectDirectory: project.workingDir,
        readStdin: async () => text,
      });
      assert.deepEqual(withoutWarnings(modelView(again)), withoutWarnings(modelView(project)), text);
    });
  }
}
