// The CLI's Docker habits that need no containers: the `compose` word dropped from argv, and the
// colour decision (--ansi, --no-color, NO_COLOR, terminal) in the order Compose applies them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stripComposeWord } from '../../../src/cli/compose-alias.ts';
import { colorWanted, parseAnsi } from '../../../src/cli/color-choice.ts';

test('the compose word is dropped only where the command goes', () => {
  assert.deepEqual(stripComposeWord(['compose', 'up', '-d']), ['up', '-d']);
  assert.deepEqual(stripComposeWord(['-f', 'x.yaml', 'compose', 'ps']), ['-f', 'x.yaml', 'ps']);
  assert.deepEqual(stripComposeWord(['--debug', 'compose', '-p', 'a', 'ps']), ['--debug', '-p', 'a', 'ps']);
  // A value that happens to be "compose" is a project name, a file or a service, never the alias.
  assert.deepEqual(stripComposeWord(['-p', 'compose', 'ps']), ['-p', 'compose', 'ps']);
  assert.deepEqual(stripComposeWord(['logs', 'compose']), ['logs', 'compose']);
  assert.deepEqual(stripComposeWord(['--', 'compose']), ['--', 'compose']);
});

test('colour: --ansi wins, then --no-color, then NO_COLOR, then the terminal', () => {
  const base = { ansi: 'auto', commandColor: true, noColorEnv: undefined, isTty: true } as const;
  assert.equal(colorWanted(base), true);
  assert.equal(colorWanted({ ...base, isTty: false }), false);
  assert.equal(colorWanted({ ...base, noColorEnv: '1' }), false);
  assert.equal(colorWanted({ ...base, noColorEnv: '' }), true, 'an empty NO_COLOR is unset (no-color.org)');
  assert.equal(colorWanted({ ...base, commandColor: false }), false);
  assert.equal(colorWanted({ ...base, ansi: 'never' }), false);
  assert.equal(colorWanted({ ...base, ansi: 'always', isTty: false, noColorEnv: '1' }), true);
  assert.throws(() => parseAnsi('sometimes'), /--ansi: unknown value "sometimes"/);
});
