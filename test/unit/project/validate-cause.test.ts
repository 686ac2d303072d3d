// mostSpecificCause on small schemas compiled at test time with the generator's ajv options:
// descent into the branch the value's type matched (oneOf and anyOf), merged forms when none
// matched, deepest path first, and pointers turned into key paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv } from 'ajv';
import { keyPathOf, mostSpecificCause } from '../../../src/project/schema-errors.ts';
import type { SchemaError } from '../../../src/project/generated/compose-validator.js';

const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true, messages: false });
const point = {
  type: 'object',
  title: 'a point mapping',
  properties: { x: { type: 'integer' } },
  additionalProperties: false,
};

function causeOf(schema: object, data: unknown) {
  const v = ajv.compile(schema);
  assert.equal(v(data), false);
  const c = mostSpecificCause((v.errors ?? []) as unknown as SchemaError[], data);
  return c && { path: c.path, detail: c.detail, atKey: c.atKey };
}

for (const keyword of ['oneOf', 'anyOf']) {
  const schema = { type: 'object', properties: { v: { [keyword]: [{ type: 'string' }, point] } } };
  test(`${keyword}: the branch whose type matched explains the failure`, () => {
    assert.deepEqual(causeOf(schema, { v: { x: 'a' } }), {
      path: ['v', 'x'],
      detail: 'must be an integer',
      atKey: false,
    });
    assert.deepEqual(causeOf(schema, { v: { y: 1 } }), {
      path: ['v'],
      detail: "additional property 'y' is not allowed",
      atKey: true,
    });
  });
  test(`${keyword}: no branch of the value's type: the accepted forms, merged`, () => {
    assert.deepEqual(causeOf(schema, { v: [1] }), {
      path: ['v'],
      detail: 'must be a string or a point mapping',
      atKey: false,
    });
  });
}

test('nested alternatives: the inner failure wins over the outer type mismatch', () => {
  const schema = {
    oneOf: [
      { type: 'array' },
      { type: 'object', additionalProperties: { oneOf: [{ type: 'string' }, { type: 'null' }] } },
    ],
  };
  assert.deepEqual(causeOf(schema, { a: 1 }), { path: ['a'], detail: 'must be a string or null', atKey: false });
});

test('the deepest error wins; among equals, the first', () => {
  const schema = {
    type: 'object',
    properties: { a: { type: 'string' }, b: { type: 'object', properties: { c: { type: 'string' } } } },
  };
  assert.deepEqual(causeOf(schema, { a: 1, b: { c: 1 } }), {
    path: ['b', 'c'],
    detail: 'must be a string',
    atKey: false,
  });
  assert.deepEqual(causeOf(schema, { a: 1, b: 2 })?.path, ['a']);
});

test('keyPathOf: list indexes are numbers, mapping keys stay strings (even numeric ones), escapes undone', () => {
  const data = { services: { '80': { ports: ['a', 'b'] }, 'a/b~c': {} } };
  assert.deepEqual(keyPathOf('/services/80/ports/1', data), ['services', '80', 'ports', 1]);
  assert.deepEqual(keyPathOf('/services/a~1b~0c', data), ['services', 'a/b~c']);
  assert.deepEqual(keyPathOf('', data), []);
});
