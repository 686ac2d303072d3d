// The fast reader (js-yaml, no positions) must read every document exactly as the precise one
// (yaml, positions) does, or decline it. Checked on every YAML file of the repository and on
// thousands of fuzz cases (mutated fixtures, random projects, alias bombs, deep nesting, odd
// scalars): wherever the fast reader answers, the precise reader accepts the same text and
// yields the same data (key order, number types, NaN) and the same !reset/!override paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseComposeYaml, type Layer } from '../../../src/project/load.ts';
import { parseComposeYamlFast } from '../../../src/project/load-fast.ts';
import { makeCase } from '../../reliability/fuzz/compose-cases.ts';

const SEED = Number(process.env['GANTRY_FAST_YAML_SEED'] ?? 90210); // bench runs can try others
const REPO = fileURLToPath(new URL('../../..', import.meta.url));

/** Order-preserving, type-exact text of a value (Object.is for numbers: -0, NaN, Infinity). */
function canon(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (typeof v === 'object')
    return `{${Object.entries(v as object)
      .map(([k, x]) => `${JSON.stringify(k)}:${canon(x)}`)
      .join(',')}}`;
  return `<${typeof v}>`;
}
const layersText = (layers: readonly Layer[]): string =>
  layers.map((l) => `${canon(l.data)} clears ${canon(l.clears)}`).join('\n---\n');

interface Tally {
  fast: number;
  declined: number;
}

function compare(text: string, what: string, tally: Tally): void {
  const fast = parseComposeYamlFast(text, 'f.yaml');
  if (fast === undefined) {
    tally.declined++;
    return;
  }
  tally.fast++;
  let precise: Layer[];
  try {
    precise = parseComposeYaml(text, 'f.yaml');
  } catch (e) {
    assert.fail(
      `${what}: the fast reader accepted what the precise one rejects (${(e as Error).message})\n${text.slice(0, 400)}`,
    );
  }
  assert.equal(layersText(fast), layersText(precise), `${what}: the readers disagree\n${text.slice(0, 400)}`);
}

function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFilesUnder(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

test('the fast reader agrees with the precise one on every YAML file in the repository', () => {
  const tally = { fast: 0, declined: 0 };
  const files = ['test', 'examples', 'templates', 'scripts'].flatMap((d) => yamlFilesUnder(join(REPO, d)));
  assert.ok(files.length > 100, `only ${files.length} files`);
  for (const f of files) compare(readFileSync(f, 'utf8'), f, tally);
  // Real files take the fast path: a reader that declines everything would pass the rest.
  assert.ok(tally.fast > tally.declined * 3, JSON.stringify(tally));
  for (const d of ['examples', 'templates']) {
    for (const f of yamlFilesUnder(join(REPO, d)))
      assert.notEqual(parseComposeYamlFast(readFileSync(f, 'utf8'), f), undefined, f);
  }
});

test('the fast reader agrees with the precise one on 4000 fuzz cases', () => {
  const tally = { fast: 0, declined: 0 };
  for (let i = 0; i < 4000; i++) {
    const c = makeCase(SEED, i);
    for (const [name, body] of Object.entries(c.files)) {
      if (typeof body !== 'string' || !/\.ya?ml$/.test(name)) continue;
      compare(body, `case ${i} (${c.kind}) ${name}`, tally);
    }
  }
  assert.ok(tally.fast > 1000, JSON.stringify(tally));
});

test('scalars resolve as YAML 1.2 core with Compose octal; typed keys go to the precise reader', () => {
  // `1.0:`, `true:`, `~:`, `0x10:` are keys of other types than string: compose-go refuses them,
  // and so does load.ts; the fast reader leaves them to it.
  for (const key of ['1.0', 'true', '~', '0x10', '0440']) {
    const typed = `a: 1\nb:\n  ${key}: x\n`;
    assert.equal(parseComposeYamlFast(typed, 'f.yaml'), undefined, key);
    assert.throws(() => parseComposeYaml(typed, 'f.yaml'), { message: `f.yaml:3:3: non-string key in b: ${key}` });
  }
  const text = [
    'a: [0440, 0o17, 0x1F, +12, -3, 089, 1_000, 1.5, .5, 1e3, -.inf, .NaN, ~, null, Null, true, False, yes, off, "012", 012.0]',
    '"1.0": x',
    'yes: y',
    'b: !override [1]',
    'c: !reset',
    'd: &x {k: 1}',
    'e: {<<: *x, j: 2}',
  ].join('\n');
  const fast = parseComposeYamlFast(text, 'f.yaml');
  assert.ok(fast);
  assert.equal(layersText(fast), layersText(parseComposeYaml(text, 'f.yaml')));
  const data = fast[0]!.data;
  assert.deepEqual(data['a'], [
    288,
    15,
    31,
    12,
    -3,
    89,
    '1_000',
    1.5,
    0.5,
    1000,
    -Infinity,
    NaN,
    null,
    null,
    null,
    true,
    false,
    'yes',
    'off',
    '012',
    12,
  ]);
  assert.deepEqual(Object.keys(data), ['a', '1.0', 'yes', 'b', 'd', 'e']);
  assert.deepEqual(fast[0]!.clears, [['b'], ['c']]);
  assert.deepEqual(data['e'], { k: 1, j: 2 });
});

test('a line of 1024 characters is still read fast, and as the precise reader reads it', () => {
  for (const text of [`a: ${'x'.repeat(1021)}\nb: 1\n`, `b: 1\na: ${'x'.repeat(1021)}`]) {
    const fast = parseComposeYamlFast(text, 'f.yaml');
    assert.ok(fast, JSON.stringify(text.slice(0, 20)));
    assert.equal(layersText(fast), layersText(parseComposeYaml(text, 'f.yaml')));
  }
});

test('documents the fast reader cannot vouch for go to the precise reader', () => {
  for (const text of [
    '? a\n: b\n',
    ': v\n',
    '[a, b]: c\n',
    '{a: 1}: c\n',
    'a: b\na: c\n',
    '- 1\n',
    'x: *nope\n',
    'a: !!int "x"\n',
    `${'['.repeat(200)}${']'.repeat(200)}\n`,
    `a: 1\nk${'x'.repeat(1030)}: v\n`, // a key `yaml` refuses (over 1024 characters)
    `a: 1\nb: ${'x'.repeat(1022)}`, // 1,025 characters on the last line, with no line break after it
  ]) {
    assert.equal(parseComposeYamlFast(text, 'f.yaml'), undefined, JSON.stringify(text));
  }
});
