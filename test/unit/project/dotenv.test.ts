// Compose's .env syntax (compose-go dotenv rules), table-driven, plus the documented places where
// the `dotenv` npm package reads the same text differently — the reason gantry does not use it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as dotenvParse } from 'dotenv';
import { parseDotEnv } from '../../../src/project/dotenv.ts';

const SHELL: Record<string, string> = { HOME_DIR: '/home/u', INHERIT_ME: 'from-shell' };
const parse = (text: string) => parseDotEnv(text, { file: 'test.env', lookup: (n) => SHELL[n] });

const CASES: ReadonlyArray<readonly [string, Record<string, string>]> = [
  ['A=1', { A: '1' }],
  ['A = spaced  ', { A: 'spaced' }],
  ['export A=2', { A: '2' }],
  ['export\tA=2', { A: '2' }],
  ['exportA=3', { exportA: '3' }],
  ['A: yaml-style', { A: 'yaml-style' }],
  ['A=x=y', { A: 'x=y' }],
  ['A=1:B', { A: '1:B' }],
  ['A=val # comment', { A: 'val' }],
  ['A=val#hash', { A: 'val#hash' }],
  ['A="val # not comment" # comment', { A: 'val # not comment' }],
  ["A='single $HOME_DIR \\n'", { A: 'single $HOME_DIR \\n' }],
  ['A="esc \\n\\t\\r\\" \\\\ \\$HOME_DIR"', { A: 'esc \n\t\r" \\ $HOME_DIR' }],
  ['A="oct \\0101 bell \\a"', { A: 'oct A bell \x07' }],
  ['A="kept \\x41 \\ "', { A: 'kept \\x41 \\ ' }],
  ["A='it\\'s'", { A: "it's" }],
  ['A="multi\nline"', { A: 'multi\nline' }],
  ['A=$HOME_DIR/x', { A: '/home/u/x' }],
  ['A=${HOME_DIR:-no}', { A: '/home/u' }],
  ['A=1\nB=${A}2', { A: '1', B: '12' }],
  ['A="${UNSET:-dq default}"', { A: 'dq default' }],
  ['A=$$literal', { A: '$literal' }],
  ['INHERIT_ME', { INHERIT_ME: 'from-shell' }],
  ['NOT_IN_SHELL\nB=1', { B: '1' }],
  ['A=', { A: '' }],
  ['A=""', { A: '' }],
  ['# comment\n\n   # indented\nA=1\r\nB=2\r\n', { A: '1', B: '2' }],
  ['DOT.KEY=1\nDASH-KEY=2\nARR[0]=3', { 'DOT.KEY': '1', 'DASH-KEY': '2', 'ARR[0]': '3' }],
  ['ÜBER=ü', { ÜBER: 'ü' }],
];

for (const [text, expected] of CASES) {
  test(`dotenv ${JSON.stringify(text)}`, () => assert.deepEqual(parse(text), expected));
}

const ERRORS: ReadonlyArray<readonly [string, string]> = [
  ['A=1\nBAD KEY=2', 'test.env:2:1: key cannot contain a space'],
  ['A=1\n\nB$=2', 'test.env:3:2: unexpected character "$" in variable name "B$=2"'],
  ['A="open\nB=2', 'test.env:1:3: unterminated quoted value "open'],
  ['A=1\nB=${NOPE:?need it}', 'test.env:2:1: B: required variable NOPE is missing a value: need it'],
  ['=value', 'test.env:1:1: missing variable name'],
];

for (const [text, message] of ERRORS) {
  test(`dotenv error ${JSON.stringify(text)}`, () =>
    assert.throws(() => parse(text), { name: 'ConfigError', message }));
}

test('the shell wins over the file inside interpolation; earlier env files come last', () => {
  const got = parseDotEnv('HOME_DIR=file\nA=${HOME_DIR}\nB=${PREV}', {
    file: 'x',
    lookup: (n) => SHELL[n],
    fallback: (n) => (n === 'PREV' ? 'prev' : undefined),
  });
  assert.deepEqual(got, { HOME_DIR: 'file', A: '/home/u', B: 'prev' });
});

// Where the `dotenv` package differs from Compose (so it is not used for .env files).
const DIFFERENCES: ReadonlyArray<
  readonly [text: string, compose: Record<string, string>, dotenv: Record<string, string>]
> = [
  // Compose interpolates; dotenv leaves the text as written.
  ['A=1\nB=${A}-x', { A: '1', B: '1-x' }, { A: '1', B: '${A}-x' }],
  // Only ` #` (space, hash) starts a comment in Compose; dotenv cuts at any `#`.
  ['H=val#x', { H: 'val#x' }, { H: 'val' }],
  // Compose expands shell escapes in double quotes; dotenv only `\n` (and `\r`).
  ['T="a\\tb"', { T: 'a\tb' }, { T: 'a\\tb' }],
  // A bare key inherits from the environment in Compose; dotenv drops the line.
  ['INHERIT_ME', { INHERIT_ME: 'from-shell' }, {}],
];

for (const [text, compose, dotenv] of DIFFERENCES) {
  test(`dotenv package differs on ${JSON.stringify(text)}`, () => {
    assert.deepEqual(parse(text), compose);
    assert.deepEqual({ ...dotenvParse(text) }, dotenv);
  });
}

test('where they agree: plain, quoted, export and single-quoted literal values', () => {
  const text = 'A=1\nB=\'lit $X\'\nexport C=3\nD="dq"\nE: colon';
  assert.deepEqual(parse(text), { ...dotenvParse(text) });
});
