// The shim plan's wire format: every token survives the round trip byte for byte, whatever it
// holds (separators of the old format, digits and colons, newlines, UTF-8), and a malformed plan
// never decodes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodePlan, encodePlan } from '../../../src/runtime/process/plan-encoding.ts';

const HOSTILE = [
  '',
  ',',
  ':',
  '0:,',
  '12:abc,',
  'a\nb',
  'x y\tz',
  'é€😀',
  '\u2028',
  '/work dir/, with:colons',
  'begin',
  'exec',
];

test('round trip: options, "begin", ops, each token exactly as given', () => {
  const options = [
    ['log', '/l'],
    ['journal', '/j', '"id":"x"'],
  ];
  const ops = [['chdir', '/'], ['args', String(HOSTILE.length), ...HOSTILE], ['env', '1', 'A=1,2'], ['exec']];
  const plan = Buffer.from(encodePlan(options, ops));
  assert.deepEqual(decodePlan(plan), [...options.flat(), 'begin', ...ops.flat()]);
});

test('lengths count UTF-8 bytes, not UTF-16 units', () => {
  assert.equal(encodePlan([], [['😀']]), '5:begin,4:😀,');
});

test('a NUL cannot be encoded: the op is named', () => {
  assert.throws(() => encodePlan([], [['chdir', '/\0exec']]), /plan op chdir: a value contains a NUL byte/);
});

test('malformed plans do not decode', () => {
  for (const bad of ['3:abc', '3:abcd,', '03:abc,', '-1:,', ':abc,', '3:a\0c,', '3:abc,x', 'abc\0', '9999999999:x,']) {
    assert.throws(() => decodePlan(Buffer.from(bad)), /plan:/, JSON.stringify(bad));
  }
});
