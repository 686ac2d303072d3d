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
  for (const doc of [
    { services: { web: { image: 'nginx' } } },
    { services: { web: { imag: 'nginx' } } },
    { services: [] },
  ]) {
    assert.equal(validate(doc), compiled(doc), JSON.stringify(doc));
  }
});

test('validate reports every error with the failing schema (allErrors + verbose)', () => {
  assert.equal(validate({ services: { web: { imag: 1, ports: 5 } } }), false);
  const errors = validate.errors ?? [];
  assert.deepEqual(errors.map((e) => e.keyword).sort(), ['additionalProperties', 'type']);
  assert.ok(errors.every((e) => typeof e.parentSchema === 'object'));
});

// schema-errors.ts attributes the errors just before a failed oneOf/anyOf to its branches; that
// holds only while nothing else in the same schema object validates the value.
test('no schema object puts a constraint beside oneOf/anyOf', () => {
  const annotations = new Set(['oneOf', 'anyOf', 'title', 'description', 'default', 'deprecated', '$comment']);
  const offenders: string[] = [];
  const walk = (node: unknown, at: string): void => {
    if (node === null || typeof node !== 'object') return;
    if (!Array.isArray(node) && ('oneOf' in node || 'anyOf' in node)) {
      const extra = Object.keys(node).filter((k) => !annotations.has(k));
      if (extra.length > 0) offenders.push(`${at}: ${extra.join(', ')}`);
    }
    for (const [k, v] of Object.entries(node)) walk(v, `${at}/${k}`);
  };
  walk(JSON.parse(readFileSync(SCHEMA, 'utf8')), '#');
  assert.deepEqual(offenders, []);
});
