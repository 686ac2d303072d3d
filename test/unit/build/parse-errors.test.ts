// Errors are one line: `Dockerfile:LINE: INSTRUCTION: what is wrong`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DockerfileError } from '../../../src/build/dockerfile/errors.ts';
import { parseDockerfile } from '../../../src/build/dockerfile/parse.ts';
import { ConfigError } from '../../../src/common/errors.ts';

function message(text: string, file?: string): string {
  try {
    parseDockerfile(text, file === undefined ? {} : { file });
  } catch (e) {
    assert.ok(e instanceof DockerfileError && e instanceof ConfigError, 'a DockerfileError (a ConfigError)');
    assert.ok(!e.message.includes('\n'));
    return e.message;
  }
  assert.fail('no error');
}

test('errors name file, line and instruction', () => {
  assert.equal(
    message('FROM a\nRUN x\nCOPY onlyone\n'),
    'Dockerfile:3: COPY: COPY requires at least two arguments, but only one was provided. Destination could not be determined.',
  );
  assert.equal(message('FROM a\n\n\nFOO bar\n'), 'Dockerfile:4: FOO: unknown instruction: FOO');
  assert.equal(
    message('FROM a\nWORKDIR\n', 'app/Dockerfile.dev'),
    'app/Dockerfile.dev:2: WORKDIR: WORKDIR requires exactly one argument',
  );
  assert.equal(message('FROM a\nCOPY --form=x a b\n'), 'Dockerfile:2: COPY: unknown flag: form');
  assert.equal(message('FROM a\nCOPY --link --link a b\n'), 'Dockerfile:2: COPY: duplicate flag specified: link');
  assert.equal(
    message('FROM a\nCOPY --link=maybe a b\n'),
    'Dockerfile:2: COPY: expecting boolean value for flag link, not: maybe',
  );
  assert.equal(message('FROM a\nCOPY --from a b\n'), 'Dockerfile:2: COPY: missing a value on flag: from');
  assert.equal(message('FROM a\nENV A\n'), 'Dockerfile:2: ENV: ENV must have two arguments');
  assert.equal(
    message('FROM a\nENV A=1 B\n'),
    'Dockerfile:2: ENV: Syntax error - can\'t find = in "B". Must be of the form: name=value',
  );
  assert.equal(message('FROM a\nARG =x\n'), 'Dockerfile:2: ARG: ARG names can not be blank');
  assert.equal(message('FROM a\nEXPOSE\n'), 'Dockerfile:2: EXPOSE: EXPOSE requires at least one argument');
});

test('a continued instruction reports its first line', () => {
  assert.match(
    message('FROM a\nRUN --mount=type=tmpfs \\\n  echo hi\n'),
    /^Dockerfile:2: RUN: mount target is required/,
  );
});

test('no instructions, no FROM, instructions before FROM', () => {
  assert.equal(message('# only a comment\n\n'), 'Dockerfile:2: file with no instructions');
  assert.match(message('ARG A\n'), /^Dockerfile:1: no FROM instruction/);
  assert.match(message('ARG A\nRUN x\nFROM a\n'), /^Dockerfile:2: RUN: no build stage in current context/);
});

test('control characters in the quoted text do not break the one line', () => {
  assert.ok(!message('FROM a\nBAD\u001b[2Jx y\n').includes('\u001b'));
});
