// Heredocs: RUN and COPY bodies, <<- tab stripping, quoted delimiters, several per line, fd prefix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from '../../../src/build/dockerfile/parse.ts';
import type { StageInstruction } from '../../../src/build/dockerfile/types.ts';

const stage0 = (text: string): readonly StageInstruction[] => parseDockerfile(text).stages[0]!.instructions;

test('RUN <<EOF: the body is attached, lines keep their newlines, the next instruction follows', () => {
  const [run, cmd] = stage0('FROM a\nRUN <<EOF\napt-get update\n  apt-get install -y curl\nEOF\nCMD ["x"]\n');
  assert.ok(run !== undefined && run.kind === 'RUN');
  assert.deepEqual(run.command, { form: 'shell', text: '<<EOF' });
  assert.deepEqual(run.heredocs, [
    { name: 'EOF', content: 'apt-get update\n  apt-get install -y curl\n', expand: true, chomp: false, fd: 0 },
  ]);
  assert.deepEqual([run.line, run.endLine], [2, 5]);
  assert.equal(cmd!.line, 6);
});

test('<<-EOF strips leading tabs from the body and the delimiter line', () => {
  const [run] = stage0('FROM a\nRUN <<-EOT\n\techo a\n\t\techo b\n\tEOT\n');
  assert.equal(run!.kind === 'RUN' && run!.heredocs[0]!.content, 'echo a\necho b\n');
});

test('a quoted delimiter turns substitution off; an unquoted one leaves it on', () => {
  const docs = stage0('FROM a\nCOPY <<\'A\' <<"B" <<C /etc/\n$x\nA\n$y\nB\n$z\nC\n');
  const copy = docs[0]!;
  assert.equal(copy.kind, 'COPY');
  if (copy.kind !== 'COPY') return;
  assert.deepEqual(
    copy.sources.map((s) => s.kind === 'heredoc' && [s.heredoc.name, s.heredoc.expand, s.heredoc.content]),
    [
      ['A', false, '$x\n'],
      ['B', false, '$y\n'],
      ['C', true, '$z\n'],
    ],
  );
  assert.equal(copy.dest, '/etc/');
});

test('COPY <<EOF /file, and a heredoc with a file descriptor and a command around it', () => {
  const [copy, run] = stage0(
    'FROM a\nCOPY <<EOF /app/config.json\n{"a": 1}\nEOF\nRUN 3<<IN cat /dev/fd/3 > /out\nhello\nIN\n',
  );
  assert.equal(copy!.kind === 'COPY' && copy!.sources[0]!.kind, 'heredoc');
  assert.equal(run!.kind === 'RUN' && run!.heredocs[0]!.fd, 3);
  assert.equal(run!.kind === 'RUN' && run!.command.form === 'shell' && run!.command.text, '3<<IN cat /dev/fd/3 > /out');
});

test('two heredocs on one RUN line are read in order', () => {
  const [run] = stage0('FROM a\nRUN <<A bash && <<B sh\necho a\nA\necho b\nB\n');
  assert.deepEqual(run!.kind === 'RUN' && run!.heredocs.map((h) => [h.name, h.content]), [
    ['A', 'echo a\n'],
    ['B', 'echo b\n'],
  ]);
});

test('exec-form RUN has no heredoc; `<<` inside quotes is not one', () => {
  const ins = stage0('FROM a\nRUN ["sh", "-c", "cat <<EOF"]\nRUN echo "<<EOF"\nCMD x\n');
  assert.equal(ins.length, 3);
  assert.deepEqual(
    ins.map((i) => i.kind === 'RUN' && i.heredocs.length),
    [0, 0, false],
  );
});

test('an ONBUILD RUN heredoc is read too', () => {
  const [on] = stage0('FROM a\nONBUILD RUN <<EOF\necho later\nEOF\n');
  assert.equal(
    on!.kind === 'ONBUILD' && on!.trigger.kind === 'RUN' && on!.trigger.heredocs[0]!.content,
    'echo later\n',
  );
});

test('a continued line can open a heredoc', () => {
  const [run] = stage0('FROM a\nRUN --network=none \\\n  <<EOF\nls\nEOF\n');
  assert.equal(run!.kind === 'RUN' && run!.heredocs[0]!.content, 'ls\n');
});

test('an unterminated heredoc is an error at the instruction line', () => {
  assert.throws(
    () => parseDockerfile('FROM a\n\nRUN <<EOF\necho a\n'),
    /^.*Dockerfile:3: RUN: unterminated heredoc EOF/,
  );
});
