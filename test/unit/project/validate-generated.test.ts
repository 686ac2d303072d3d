// The ahead-of-time validator: built from the current schema (not a stale build), loadable
// without ajv's CommonJS runtime, and gantry's schema itself compiles in ajv's strict mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { schemaHash, validate } from '../../../src/project/generated/compose-validator.js';

const SCHEMA = fileURLToPath(new URL('../../../schemas/compose.schema.json', import.meta.url));
const GENERATED = fileURLToPath(new URL('../../../src/project/generated/compose-validator.js', import.meta.url));

test('the generated validator matches schemas/compose.schema.json (run `npm run build` if not)', () => {
  assert.equal(schemaHash, createHash('sha256').update(readFileSync(SCHEMA)).digest('hex'));
});

test('the generated validator imports and requires nothing', () => {
  const code = readFileSync(GENERATED, 'utf8');
  assert.doesNotMatch(code, /\brequire\(|^import /m);
});

test('the schema compiles in ajv strict mode and agrees with the generated validator', () => {
  const compiled = new Ajv({ strict: true, allowUnionTypes: true }).compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
  for (const doc of [{ services: { web: { image: 'nginx' } } }, { services: { web: { imag: 'nginx' } } }, { services: [] }]) {
    assert.equal(validate(doc), compiled(doc), JSON.stringify(doc));
  }
});

test('validate reports every error with the failing schema (allErrors + verbose)', () => {
  assert.equal(validate({ services: { web: { imag: 1, ports: 5 } } }), false);
  const errors = validate.errors ?? [];
  assert.deepEqual(errors.map((e) => e.keyword).sort(), ['additionalProperties', 'type']);
  assert.ok(errors.every((e) => typeof e.parentSchema === 'object'));
});
