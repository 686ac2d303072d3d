// Docker's variable substitution (BuildKit's shell lexer): each form, quotes, escapes, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { processWord } from '../../../src/build/substitute/shell-lex.ts';

const env = new Map([
  ['V', 'val'],
  ['EMPTY', ''],
  ['SP', 'a b'],
  ['PATH_', '/usr/local/bin/node'],
  ['F', 'file.tar.gz'],
]);
const sub = (w: string, escape = '\\'): string => processWord(w, env, { escape }).result;

test('$V and ${V}; unset is empty; a lone $ stays', () => {
  assert.equal(sub('$V'), 'val');
  assert.equal(sub('${V}x'), 'valx');
  assert.equal(sub('$Vx'), '');
  assert.equal(sub('a$NOPE-b'), 'a-b');
  assert.equal(sub('cost $'), 'cost $');
  assert.equal(sub('$1x'), 'x');
});

test('${V:-x} and ${V-x}: empty counts as unset only with the colon', () => {
  assert.equal(sub('${NOPE:-def}'), 'def');
  assert.equal(sub('${EMPTY:-def}'), 'def');
  assert.equal(sub('${EMPTY-def}'), '');
  assert.equal(sub('${NOPE-def}'), 'def');
  assert.equal(sub('${V:-def}'), 'val');
  assert.equal(sub('${NOPE:-$V}'), 'val');
});

test('${V:+x} and ${V+x}', () => {
  assert.equal(sub('${V:+alt}'), 'alt');
  assert.equal(sub('${EMPTY:+alt}'), '');
  assert.equal(sub('${EMPTY+alt}'), 'alt');
  assert.equal(sub('${NOPE+alt}'), '');
});

test('${V:?msg} and ${V?msg} fail with the message', () => {
  assert.equal(sub('${V:?boom}'), 'val');
  assert.throws(() => sub('${NOPE:?need it}'), /NOPE: need it/);
  assert.throws(() => sub('${EMPTY:?}'), /EMPTY: is not allowed to be empty/);
  assert.throws(() => sub('${NOPE?}'), /NOPE: is not allowed to be unset/);
  assert.equal(sub('${EMPTY?}'), '');
});

test('${V#p} ${V##p} ${V%p} ${V%%p} ${V/p/r} ${V//p/r}', () => {
  assert.equal(sub('${PATH_#*/}'), 'usr/local/bin/node');
  assert.equal(sub('${PATH_##*/}'), 'node');
  assert.equal(sub('${F%.*}'), 'file.tar');
  assert.equal(sub('${F%%.*}'), 'file');
  assert.equal(sub('${F/./-}'), 'file-tar.gz');
  assert.equal(sub('${F//./-}'), 'file-tar-gz');
});

test('single quotes are literal, double quotes substitute, quotes are removed', () => {
  assert.equal(sub(`'$V'`), '$V');
  assert.equal(sub(`"$V"`), 'val');
  assert.equal(sub(`"a 'b' $V"`), "a 'b' val");
  assert.equal(sub(`pre'$V'"$V"`), 'pre$Vval');
});

test('escapes: \\$ is a dollar, \\ before other chars drops; in double quotes only " $ \\ are escapable', () => {
  assert.equal(sub('\\$V'), '$V');
  assert.equal(sub('a\\ b'), 'a b');
  assert.equal(sub('"\\$V"'), '$V');
  assert.equal(sub('"\\n"'), '\\n');
  assert.equal(sub('"\\""'), '"');
});

test('with the backtick escape token, backslash is an ordinary character', () => {
  assert.equal(sub('C:\\dir\\$V', '`'), 'C:\\dir\\val');
  assert.equal(sub('`$V', '`'), '$V');
});

test('words: substituted values split on spaces, quoted text does not', () => {
  assert.deepEqual(processWord('$SP "c d" e', env).words, ['a', 'b', 'c d', 'e']);
  assert.deepEqual(processWord('80/tcp $V', env).words, ['80/tcp', 'val']);
});

test('syntax errors name the word', () => {
  assert.throws(() => sub('${V'), /failed to process "\$\{V": syntax error: missing '\}'/);
  assert.throws(() => sub('${}'), /bad substitution/);
  assert.throws(() => sub('${V:x}'), /unsupported modifier \(:x\)/);
  assert.throws(() => sub(`'abc`), /matching single-quote/);
  assert.throws(() => sub(`"abc`), /matching double-quote/);
});

test('matched and unmatched names are reported', () => {
  const r = processWord('$V ${NOPE:-x}', env);
  assert.deepEqual([...r.matched], ['V']);
  assert.deepEqual([...r.unmatched], ['NOPE']);
});
