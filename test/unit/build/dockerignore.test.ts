// .dockerignore rules as Docker applies them (the documented examples, moby/patternmatcher's rules).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IgnoreMatcher, readIgnoreFile } from '../../../src/build/context/dockerignore.ts';

const matcher = (text: string): IgnoreMatcher => new IgnoreMatcher(readIgnoreFile(text));
const excluded = (text: string, paths: string[]): string[] => {
  const m = matcher(text);
  return paths.filter((p) => m.excludes(p));
};

test("Docker's documented example: */temp*, */*/temp*, temp?", () => {
  const rules = '# comment\n*/temp*\n*/*/temp*\ntemp?\n';
  assert.deepEqual(
    excluded(rules, [
      'somedir/temporary.txt',
      'somedir/temp',
      'somedir/subdir/temporary.txt',
      'tempa',
      'tempb',
      'temp',
      'temporary.txt',
      'a/b/c/temp.txt',
      'tempab',
    ]),
    ['somedir/temporary.txt', 'somedir/temp', 'somedir/subdir/temporary.txt', 'tempa', 'tempb'],
  );
});

test('** matches any number of directories, including none', () => {
  assert.deepEqual(excluded('**/*.go\n', ['main.go', 'cmd/app/main.go', 'main.go.txt', 'README']), [
    'main.go',
    'cmd/app/main.go',
  ]);
  assert.deepEqual(excluded('a/**/b\n', ['a/b', 'a/x/b', 'a/x/y/b', 'b', 'ab']), ['a/b', 'a/x/b', 'a/x/y/b']);
  assert.deepEqual(excluded('**\n', ['x', 'a/b/c']), ['x', 'a/b/c']);
  assert.deepEqual(excluded('dist/**\n', ['dist', 'dist/a.js', 'distx/a']), ['dist/a.js']);
  assert.deepEqual(excluded('**foo\n', ['foo', 'barfoo', 'x/foo', 'foox']), ['foo', 'barfoo', 'x/foo']);
});

test('! exceptions, and order matters (the last matching line wins)', () => {
  assert.deepEqual(excluded('*.md\n!README.md\n', ['a.md', 'README.md', 'docs/a.md']), ['a.md']);
  assert.deepEqual(
    excluded('*.md\n!README*.md\nREADME-secret.md\n', ['a.md', 'README.md', 'README-x.md', 'README-secret.md']),
    ['a.md', 'README-secret.md'],
  );
  assert.deepEqual(excluded('*.md\nREADME-secret.md\n!README*.md\n', ['a.md', 'README.md', 'README-secret.md']), [
    'a.md',
  ]);
});

test('a directory pattern excludes everything below it; an exception can re-include inside', () => {
  assert.deepEqual(excluded('node_modules\n', ['node_modules', 'node_modules/x/index.js', 'src/node_modules']), [
    'node_modules',
    'node_modules/x/index.js',
  ]);
  assert.deepEqual(excluded('logs\n!logs/keep.txt\n', ['logs/a.txt', 'logs/keep.txt']), ['logs/a.txt']);
  assert.equal(matcher('logs\n!logs/keep.txt\n').hasExclusions, true);
});

test('leading / and ./ are cleaned; patterns are anchored at the context root', () => {
  assert.deepEqual(excluded('/secret\n./build\nfoo/../bar\n', ['secret', 'build/x', 'bar', 'x/secret']), [
    'secret',
    'build/x',
    'bar',
  ]);
});

test('Go filepath.Match syntax: ?, [a-z], [^a], \\ escapes; regex characters are literal', () => {
  assert.deepEqual(excluded('file[0-9].txt\n', ['file1.txt', 'filea.txt']), ['file1.txt']);
  assert.deepEqual(excluded('file[^0-9].txt\n', ['file1.txt', 'filea.txt']), ['filea.txt']);
  assert.deepEqual(excluded('\\*.txt\n', ['*.txt', 'a.txt']), ['*.txt']);
  assert.deepEqual(excluded('a+b(c)|{d}$.txt\n', ['a+b(c)|{d}$.txt', 'aab(c)|{d}$.txt', 'aaab.txt']), [
    'a+b(c)|{d}$.txt',
  ]);
  assert.deepEqual(excluded('a.txt\n', ['a.txt', 'abtxt']), ['a.txt']);
});

test('matching is case-sensitive, as on Linux', () => {
  assert.deepEqual(excluded('*.MD\n', ['README.md', 'NOTES.MD']), ['NOTES.MD']);
});

test('reading the file: comments only at column 0, trimmed lines, BOM, CRLF, "! /x"', () => {
  assert.deepEqual(readIgnoreFile('\ufeff# c\r\n  a  \r\n\r\n ! /inverted/abs \n  # not a comment\n/\n'), [
    'a',
    '!inverted/abs',
    '# not a comment',
    '/',
  ]);
});

test('bad patterns are errors', () => {
  assert.throws(() => matcher('!\n'), /illegal exclusion pattern: "!"/);
  assert.throws(() => matcher('[abc\n'), /syntax error in pattern/);
});

test('the context root itself is never excluded', () => {
  assert.equal(matcher('*\n').excludes('.'), false);
});
