// Dockerfile lines as BuildKit reads them: directives, comments, continuations, escape token, BOM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from '../../../src/build/dockerfile/parse.ts';
import type { StageInstruction } from '../../../src/build/dockerfile/types.ts';

const stage0 = (text: string): readonly StageInstruction[] => parseDockerfile(text).stages[0]!.instructions;

test('continuations join lines; comment lines and empty lines inside them are skipped', () => {
  const df = parseDockerfile('FROM a\nRUN echo one \\\n  # a comment\n\n    two\nCMD x\n');
  const run = df.stages[0]!.instructions[0]!;
  assert.equal(run.kind, 'RUN');
  assert.deepEqual(run.kind === 'RUN' && run.command, { form: 'shell', text: 'echo one     two' });
  assert.deepEqual([run.line, run.endLine], [2, 5]);
  assert.equal(df.stages[0]!.instructions[1]!.line, 6);
  assert.match(df.warnings[0]!, /Dockerfile:2: empty continuation line/);
});

test('an escaped escape token at the end does not continue the line', () => {
  const ins = stage0('FROM a\nRUN echo a\\\\\nRUN echo b\n');
  assert.equal(ins.length, 2);
});

test('trailing spaces after the escape token still continue', () => {
  const ins = stage0('FROM a\nRUN echo a \\  \n b\n');
  assert.deepEqual(ins[0]!.kind === 'RUN' && ins[0]!.command, { form: 'shell', text: 'echo a  b' });
});

test('# escape=` (Windows style): backtick continues lines, backslash is literal', () => {
  const df = parseDockerfile(
    '# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN dir C:\\ `\n  /s\nWORKDIR C:\\app\nENV P=C:\\x `\n    Q=2\n',
  );
  assert.equal(df.escape, '`');
  const [run, wd, env] = df.stages[0]!.instructions;
  assert.deepEqual(run!.kind === 'RUN' && run!.command, { form: 'shell', text: 'dir C:\\   /s' });
  assert.equal(wd!.kind === 'WORKDIR' && wd!.path, 'C:\\app');
  assert.deepEqual(env!.kind === 'ENV' && env!.pairs, [
    { key: 'P', value: 'C:\\x' },
    { key: 'Q', value: '2' },
  ]);
});

test('directives: only at the top, case-insensitive, once each; later ones are comments', () => {
  const df = parseDockerfile('#Syntax = docker/dockerfile:1.7\n# ESCAPE=`\n\n# escape=\\\nFROM a\nRUN x `\n y\n');
  assert.equal(df.syntax, 'docker/dockerfile:1.7');
  assert.equal(df.escape, '`');
  assert.equal(df.warnings.length, 0);
  assert.throws(
    () => parseDockerfile('# escape=`\n# escape=\\\nFROM a'),
    /Dockerfile:2: only one escape parser directive/,
  );
  assert.throws(() => parseDockerfile('# escape=x\nFROM a'), /Dockerfile:1: invalid escape token 'x'/);
  // After a comment, `# escape=` is just a comment.
  assert.equal(parseDockerfile('# hello\n# escape=`\nFROM a').escape, '\\');
});

test('# syntax= naming another frontend is accepted with a note', () => {
  const df = parseDockerfile('# syntax=example.com/my/frontend:2\nFROM a\n');
  assert.match(df.warnings[0]!, /names another frontend/);
  assert.equal(parseDockerfile('# syntax=docker/dockerfile:1-labs\nFROM a').warnings.length, 0);
  assert.equal(parseDockerfile('# syntax=docker.io/docker/dockerfile:1@sha256:abc\nFROM a').warnings.length, 0);
});

test('BOM, CRLF line ends, leading whitespace and lower-case keywords', () => {
  const df = parseDockerfile('\ufeffFROM a\r\n   run echo hi\r\n\tcmd ["x"]\r\n');
  const [run, cmd] = df.stages[0]!.instructions;
  assert.deepEqual(run!.kind === 'RUN' && run!.command, { form: 'shell', text: 'echo hi' });
  assert.deepEqual(cmd!.kind === 'CMD' && cmd!.command, { form: 'exec', args: ['x'] });
});

test('a comment after an instruction is part of it (Docker has no inline comments)', () => {
  const ins = stage0('FROM a\nRUN echo hi # not a comment\n');
  assert.deepEqual(ins[0]!.kind === 'RUN' && ins[0]!.command, { form: 'shell', text: 'echo hi # not a comment' });
});

test('global ARGs before FROM, stages by FROM', () => {
  const df = parseDockerfile('ARG A=1\nARG B\nFROM x AS One\nRUN a\nFROM One\nRUN b\n');
  assert.deepEqual(
    df.globalArgs.map((a) => a.args),
    [[{ name: 'A', value: '1' }], [{ name: 'B', value: undefined }]],
  );
  assert.equal(df.stages.length, 2);
  assert.equal(df.stages[0]!.from.stageName, 'one');
  assert.equal(df.stages[1]!.from.image, 'One');
});
