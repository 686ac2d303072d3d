// Compose variable substitution, table-driven: every operator, nesting, escapes, and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { substitute, TemplateError } from '../../../src/project/template.ts';

const ENV: Record<string, string> = { SET: 'val', EMPTY: '', A: 'a', B: 'b' };
const env = (unset: string[] = []) => ({ lookup: (n: string) => ENV[n], onUnset: (n: string) => unset.push(n) });

const CASES: ReadonlyArray<readonly [string, string]> = [
  ['plain text', 'plain text'],
  ['$SET', 'val'],
  ['${SET}', 'val'],
  ['x${SET}y$SET.z', 'xvalyval.z'],
  ['${UNSET:-def}', 'def'],
  ['${EMPTY:-def}', 'def'],
  ['${EMPTY-def}', ''],
  ['${UNSET-def}', 'def'],
  ['${SET:-def}', 'val'],
  ['${SET:+alt}', 'alt'],
  ['${EMPTY:+alt}', ''],
  ['${EMPTY+alt}', 'alt'],
  ['${UNSET+alt}', ''],
  ['${SET:?err}', 'val'],
  ['${EMPTY?err}', ''],
  ['${UNSET:-${A}${B}}', 'ab'],
  ['${UNSET:-${ALSO_UNSET:-deep}}', 'deep'],
  ['${SET:+${A}-${B}}', 'a-b'],
  ['$$SET', '$SET'],
  ['$${SET}', '${SET}'],
  ['$$$SET', '$val'],
  ['price $5', 'price $5'],
  ['trailing $', 'trailing $'],
  ['a $ b', 'a $ b'],
  ['${UNSET:-}', ''],
  ['${UNSET:-a:b-c}', 'a:b-c'],
  ['${UNSET:-with } brace}', 'with  brace}'],
  ['$A_B', ''],
];

for (const [input, expected] of CASES) {
  test(`substitute ${JSON.stringify(input)}`, () => assert.equal(substitute(input, env()), expected));
}

const ERRORS: ReadonlyArray<readonly [string, string]> = [
  ['${UNSET:?must be set}', 'required variable UNSET is missing a value: must be set'],
  ['${EMPTY:?}', 'required variable EMPTY is missing a value'],
  ['${UNSET?gone ${A}}', 'required variable UNSET is missing a value: gone a'],
  ['${}', 'Invalid template: "${}"'],
  ['${1BAD}', 'Invalid template: "${1BAD}"'],
  ['${A B}', 'Invalid template: "${A B}"'],
  ['${A:x}', 'Invalid template: "${A:x}"'],
  ['open ${A', 'Invalid template: "${A"'],
];

for (const [input, message] of ERRORS) {
  test(`substitute error ${JSON.stringify(input)}`, () => {
    assert.throws(
      () => substitute(input, env()),
      (e: Error) => e instanceof TemplateError && e.message === message,
    );
  });
}

test('unset variables are reported, defaults only evaluated when used', () => {
  const unset: string[] = [];
  substitute('$NOPE ${NOPE2} ${SET:-$NEVER} ${UNSET-x} ${UNSET:+$NEVER2}', env(unset));
  assert.deepEqual(unset, ['NOPE', 'NOPE2']);
});
