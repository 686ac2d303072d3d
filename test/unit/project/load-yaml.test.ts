// YAML reading: Compose's octal, merge keys, tags, duplicate keys, limits and positions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseComposeYaml, MAX_FILE_BYTES } from '../../../src/project/load.ts';
import { positionLookup } from '../../../src/project/positions.ts';

/** This process's CPU time in ms: a bound on it holds on a machine loaded by others; wall time does not. */
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const one = (text: string) => {
  const layers = parseComposeYaml(text, 'c.yaml');
  assert.equal(layers.length, 1);
  return layers[0]!;
};

const SCALARS: ReadonlyArray<readonly [string, unknown]> = [
  ['0440', 288],
  ['0o440', 288],
  ['0755', 493],
  ['089', 89],
  ['0', 0],
  ['440', 440],
  ['"0440"', '0440'],
  ['yes', 'yes'],
  ['on', 'on'],
  ['true', true],
  ['null', null],
  ['~', null],
  ['1.5', 1.5],
  ['0x1F', 31],
];

for (const [src, value] of SCALARS) {
  test(`scalar ${src}`, () => assert.deepEqual(one(`v: ${src}`).data, { v: value }));
}

test('positions: scalars at their value, collections at their key, sequence items at the item', () => {
  const l = one('services:\n  web:\n    image: nginx\n    ports:\n      - "80:80"\n');
  const at = positionLookup(l.data);
  assert.deepEqual(at(['services', 'web', 'image']), { file: 'c.yaml', line: 3, col: 12 });
  assert.deepEqual(at(['services', 'web', 'ports']), { file: 'c.yaml', line: 4, col: 5 });
  assert.deepEqual(at(['services', 'web', 'ports', 0]), { file: 'c.yaml', line: 5, col: 9 });
  assert.deepEqual(at(['services', 'web', 'ports', 0, 'nope']), { file: 'c.yaml', line: 5, col: 9 });
});

test('merge keys: explicit keys win, earlier sources win over later', () => {
  const l = one('a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  x: 0\n');
  assert.deepEqual(l.data.c, { x: 0, y: 1, z: 2 });
});

test('aliases are deep copies (later stages may change one without the other)', () => {
  const l = one('a: &a {x: [1]}\nb: *a\n');
  assert.notEqual(l.data.a, l.data.b);
  assert.deepEqual(l.data.a, l.data.b);
});

test('!reset drops the value and records the path; !override keeps it and records the path', () => {
  const l = one('services:\n  web:\n    ports: !reset []\n    env: !override {A: 1}\n');
  assert.deepEqual(l.data, { services: { web: { env: { A: 1 } } } });
  assert.deepEqual(l.clears, [
    ['services', 'web', 'ports'],
    ['services', 'web', 'env'],
  ]);
});

test('multiple documents become layers; empty documents are skipped', () => {
  assert.equal(parseComposeYaml('a: 1\n---\n---\nb: 2\n', 'c.yaml').length, 2);
  assert.equal(parseComposeYaml('', 'c.yaml').length, 0);
  assert.equal(parseComposeYaml('# only a comment\n', 'c.yaml').length, 0);
});

const ERRORS: ReadonlyArray<readonly [string, string]> = [
  ['a: 1\na: 2\n', 'c.yaml:2:1: mapping key "a" already defined at line 1'],
  ['a: [1, 2\n', 'c.yaml:2:1: Flow sequence in block collection must be sufficiently indented and end with a ]'],
  ['a: *nope\n', 'c.yaml:1:4: unknown anchor "nope"'],
  ['[1, 2]\n', 'c.yaml:1:1: top-level object must be a mapping'],
  ['? [a]\n: 1\n', 'c.yaml:1:3: mapping keys must be strings'],
  ['a: {x: 1}\nb:\n  <<: 5\n', 'c.yaml:3:7: merge key "<<" must refer to a mapping'],
];

for (const [src, message] of ERRORS) {
  test(`yaml error ${JSON.stringify(src)}`, () =>
    assert.throws(() => parseComposeYaml(src, 'c.yaml'), { name: 'ConfigError', message }));
}

test('alias bombs stop with an error instead of expanding', () => {
  let src = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 10; i++)
    src += `a${i}: &a${i} [${Array(10)
      .fill(`*a${i - 1}`)
      .join(', ')}]\n`;
  const t0 = cpuMs();
  assert.throws(() => parseComposeYaml(src, 'c.yaml'), /excessive aliasing/);
  assert.ok(cpuMs() - t0 < 2000, `took ${cpuMs() - t0} ms of CPU`);
});

test('oversized files are refused before parsing', () => {
  assert.throws(() => parseComposeYaml('#'.repeat(MAX_FILE_BYTES + 1), 'c.yaml'), /file is too large/);
});

test('an alias refers to the latest anchor of that name before it', () => {
  assert.deepEqual(one('a: &x 1\nb: *x\nc: &x 2\nd: *x\n').data, { a: 1, b: 1, c: 2, d: 2 });
});

test('many merge-key aliases load in linear time', () => {
  let src = 'x-c: &c {restart: always, labels: [a=b]}\nservices:\n';
  for (let i = 0; i < 2000; i++) src += `  s${i}:\n    <<: *c\n    image: img${i}\n`;
  const t0 = cpuMs();
  const l = one(src);
  assert.equal(Object.keys(l.data.services as object).length, 2000);
  assert.ok(cpuMs() - t0 < 3000, `took ${cpuMs() - t0} ms of CPU`);
});
