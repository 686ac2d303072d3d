// The YAML emitter: whatever it writes, the yaml package (YAML 1.2) and YAML 1.1 rules read back
// as the same data; plain scalars only where that is certain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { emitYaml, scalarText } from '../../../src/common/yaml-emit.ts';

test('tricky strings survive a round trip', () => {
  const strings = [
    '',
    ' ',
    'yes',
    'No',
    'on',
    'null',
    '~',
    'true',
    '8080',
    '1.5',
    '0x1F',
    '1e3',
    '.inf',
    '-1',
    '0777',
    'a: b',
    'a #b',
    'key:',
    ':x',
    '- item',
    '? q',
    '*alias',
    '&anchor',
    '!tag',
    '%dir',
    '@at',
    '`tick',
    '"q"',
    "'s'",
    'multi\nline',
    'tab\there',
    'trailing ',
    ' leading',
    '${VAR}',
    '$$HOME',
    'nginx:1.27',
    '127.0.0.1',
    '/abs/path',
    './rel',
    'a,b',
    '[x]',
    '{y}',
    'é ü',
    '\u0000',
    'CMD-SHELL',
    '=',
    '#',
    '-f',
    '--flag',
    '-1.5',
    '-.inf',
    '10s',
    '1m30s',
    '1.5h',
    '1e3s',
    '1:30',
    '0b1',
    '-',
  ];
  for (const s of strings) {
    assert.deepEqual(
      parse(emitYaml({ k: s, list: [s], [s || 'empty']: 1 })),
      { k: s, list: [s], [s || 'empty']: 1 },
      JSON.stringify(s),
    );
  }
});

test('plain where safe, quoted otherwise', () => {
  assert.equal(scalarText('nginx:1.27'), 'nginx:1.27');
  assert.equal(scalarText('/www'), '/www');
  assert.equal(scalarText('yes'), '"yes"');
  assert.equal(scalarText('8080'), '"8080"');
  assert.equal(scalarText('a b'), '"a b"');
  assert.equal(scalarText('-f'), '-f');
  assert.equal(scalarText('1m30s'), '1m30s');
  assert.equal(scalarText('-1'), '"-1"');
});

test('nested data keeps its shape', () => {
  const data = {
    name: 'p',
    services: {
      web: {
        command: ['a', 'b'],
        ports: [{ target: 80, published: '8080' }],
        nested: [[1, 2], []],
        empty: {},
        n: null,
        f: false,
        x: 0.5,
      },
    },
    list: [{ a: { b: [{ c: 1 }] } }, 'plain', [{ d: 2 }]],
  };
  assert.deepEqual(parse(emitYaml(data)), data);
  assert.equal(emitYaml({ a: [{ b: 1, c: 2 }] }), 'a:\n  - b: 1\n    c: 2\n');
});
