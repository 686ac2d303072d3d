// The README's field table cannot drift: it is rendered from src/project/field-status.json, the
// table the loader reads; every field of gantry's schema (top level and service) has a row; a
// refused field is exactly one unsupported.ts refuses, any other one is modelled or resolved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withFieldTable } from '../../../scripts/lib/field-table.mjs';
import { FIELD_STATUS, LOADER_SERVICE_KEYS, UNSUPPORTED_SERVICE_KEYS } from '../../../src/project/unsupported.ts';
import { MODELLED_KEYS } from '../../../src/project/normalize/service.ts';

const read = (rel: string): string => readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8');
const SCHEMA = JSON.parse(read('../../../schemas/compose.schema.json')) as {
  properties: Record<string, unknown>;
  definitions: { service: { properties: Record<string, unknown> } };
};

test('README.md carries the field table as gen-field-table.mjs writes it', () => {
  const readme = read('../../../README.md');
  assert.equal(readme, withFieldTable(readme, FIELD_STATUS), 'README is stale: run node scripts/gen-field-table.mjs');
});

test('every top-level and service field of the schema has a status, and only those', () => {
  assert.deepEqual(Object.keys(FIELD_STATUS.top_level).sort(), Object.keys(SCHEMA.properties).sort());
  assert.deepEqual(
    Object.keys(FIELD_STATUS.services).sort(),
    Object.keys(SCHEMA.definitions.service.properties).sort(),
  );
  for (const t of [FIELD_STATUS.top_level, FIELD_STATUS.services])
    for (const [k, f] of Object.entries(t)) {
      assert.ok(['implemented', 'warned', 'refused'].includes(f.status), `${k}: ${f.status}`);
      if (f.status !== 'implemented') assert.ok(f.note, `${k}: a ${f.status} field says why`);
    }
});

test('the statuses are the loader’s: refused = unsupported.ts, the others modelled or resolved', () => {
  const services = Object.entries(FIELD_STATUS.services);
  assert.deepEqual(
    services.filter(([, f]) => f.status === 'refused').map(([k]) => k),
    [...UNSUPPORTED_SERVICE_KEYS],
  );
  const handled = new Set([...MODELLED_KEYS, ...LOADER_SERVICE_KEYS]);
  assert.deepEqual(
    services.filter(([k, f]) => f.status !== 'refused' && !handled.has(k)).map(([k]) => k),
    [],
  );
});
