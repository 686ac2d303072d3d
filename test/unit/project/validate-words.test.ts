// Compose words for schema errors: accepted-form phrases, "did you mean" suggestions, and the
// edit distance behind them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describe, distance, nearest, orList, unknownKey } from '../../../src/project/schema-words.ts';

test('distance counts edits, a swap of neighbours as one', () => {
  assert.equal(distance('image', 'image'), 0);
  assert.equal(distance('imag', 'image'), 1);
  assert.equal(distance('enviroment', 'environment'), 1);
  assert.equal(distance('pots', 'ports'), 1);
  assert.equal(distance('prots', 'ports'), 1);
  assert.equal(distance('', 'abc'), 3);
  assert.equal(distance('kitten', 'sitting'), 3);
});

test('nearest suggests close keys, cut-off words, any case, and nothing far', () => {
  const known = ['image', 'ports', 'depends_on', 'environment', 'entrypoint', 'healthcheck'];
  assert.equal(nearest('imag', known), 'image');
  assert.equal(nearest('Image', known), 'image');
  assert.equal(nearest('enviroment', known), 'environment');
  assert.equal(nearest('depends', known), 'depends_on');
  assert.equal(nearest('helthcheck', known), 'healthcheck');
  assert.equal(nearest('colour', known), undefined);
  assert.equal(nearest('cmd', known), undefined);
  assert.equal(nearest('y', ['x']), undefined);
});

test('orList joins phrases and puts null last', () => {
  assert.equal(orList(['a string']), 'a string');
  assert.equal(orList(['a string', 'a list']), 'a string or a list');
  assert.equal(orList(['null', 'a string', 'a list', 'a string']), 'a string, a list or null');
});

test('describe prefers the title, else names the types', () => {
  assert.equal(describe({ type: 'string', title: 'a duration' }), 'a duration');
  assert.equal(describe({ type: ['boolean', 'string'] }), 'a boolean or a string');
  assert.equal(describe({ type: 'array', items: { type: 'string' } }), 'a list of strings');
  assert.equal(describe({ type: 'array', items: { type: 'object' } }), 'a list of mappings');
  assert.equal(describe({ type: 'object' }), 'a mapping');
});

test('unknownKey: suggestion, x- refused where not allowed, invalid names', () => {
  const service = { properties: { image: {}, ports: {} }, patternProperties: { '^x-': {} } };
  assert.equal(unknownKey('imag', service), "additional property 'imag' is not allowed (did you mean 'image'?)");
  assert.equal(unknownKey('zzz', service), "additional property 'zzz' is not allowed");
  assert.equal(
    unknownKey('x-a', { properties: { weight: {} } }),
    "additional property 'x-a' is not allowed (x- extensions are not allowed here)",
  );
  assert.equal(unknownKey('a b', { patternProperties: { '^[a-z ]+$': {} } }).startsWith("invalid key 'a b'"), true);
});
