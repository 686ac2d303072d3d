// From a resolved stage to what the executor commits: RUN argv (shell, exec, heredoc scripts), the
// image config (CMD/ENTRYPOINT rules, ports, volumes, healthcheck, labels, ONBUILD) and history.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { historyFor, imageConfigFor, normalizePort } from '../../../src/build/convert/image-config.ts';
import { runInvocation } from '../../../src/build/convert/run-command.ts';
import { parseDockerfile } from '../../../src/build/dockerfile/parse.ts';
import { resolveDockerfile } from '../../../src/build/resolve/resolve.ts';

const amd64 = { os: 'linux', architecture: 'amd64' } as const;
const stages = (text: string) => resolveDockerfile(parseDockerfile(text), { platform: amd64 }).stages;
function runs(text: string) {
  const s = stages(text)[0]!;
  return s.steps.flatMap((x) => (x.instruction.kind === 'RUN' ? [runInvocation(x.instruction, x.state.shell)] : []));
}

test('RUN argv: shell form through SHELL, exec form as is', () => {
  assert.deepEqual(
    runs('FROM a\nRUN echo hi\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN ls | wc\nRUN ["/bin/true"]\n').map(
      (r) => r.argv,
    ),
    [['/bin/sh', '-c', 'echo hi'], ['/bin/bash', '-eo', 'pipefail', '-c', 'ls | wc'], ['/bin/true']],
  );
});

test('RUN heredocs: a lone body runs in the shell, a #! body as a script, others reach the shell as heredocs', () => {
  const [plain, script, inline] = runs(
    'FROM a\nRUN <<EOF\necho a\nEOF\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n' +
      'RUN cat <<EOF > /x\nhello\nEOF\n',
  );
  assert.deepEqual(plain!.argv, ['/bin/sh', '-c', 'echo a\n']);
  assert.deepEqual(script, {
    argv: ['/dev/pipes/EOF'],
    script: { path: '/dev/pipes/EOF', content: '#!/usr/bin/env python3\nprint(1)\n' },
  });
  assert.deepEqual(inline!.argv, ['/bin/sh', '-c', 'cat <<EOF > /x\nhello\nEOF']);
});

test('image config: ENV, WORKDIR, USER, CMD/ENTRYPOINT, ports, volumes, labels, healthcheck, stop signal, ONBUILD', () => {
  const s = stages(
    'FROM a\nENV A=1\nWORKDIR /app\nUSER app\nEXPOSE 80 53/udp 8000-8001\nVOLUME /data\nLABEL a=b\n' +
      'HEALTHCHECK --interval=10s CMD ["check"]\nSTOPSIGNAL SIGINT\nONBUILD RUN make\nCMD node server.js\n',
  )[0]!;
  assert.deepEqual(imageConfigFor(s, { Env: ['PATH=/bin'], Cmd: ['sh'], OnBuild: ['RUN base-trigger'] }), {
    Env: ['A=1'],
    Cmd: ['/bin/sh', '-c', 'node server.js'],
    WorkingDir: '/app',
    User: 'app',
    ExposedPorts: { '80/tcp': {}, '53/udp': {}, '8000/tcp': {}, '8001/tcp': {} },
    Volumes: { '/data': {} },
    Labels: { a: 'b' },
    Healthcheck: { Test: ['CMD', 'check'], Interval: 10e9 },
    StopSignal: 'SIGINT',
    OnBuild: ['RUN make'],
  });
});

test('ENTRYPOINT clears an inherited CMD unless this stage sets CMD; ENTRYPOINT [] clears', () => {
  const [one] = stages('FROM a\nENTRYPOINT ["/e"]\n');
  assert.deepEqual(imageConfigFor(one!, { Env: [], Cmd: ['x'] }), { Env: [], Entrypoint: ['/e'] });
  const [two] = stages('FROM a\nCMD ["c"]\nENTRYPOINT ["/e"]\n');
  assert.deepEqual(imageConfigFor(two!, { Env: [] }), { Env: [], Cmd: ['c'], Entrypoint: ['/e'] });
  const [three] = stages('FROM a\nENTRYPOINT []\n');
  assert.deepEqual(imageConfigFor(three!, { Env: [], Entrypoint: ['/old'] }), { Env: [] });
});

test('ports: Docker forms and errors', () => {
  assert.deepEqual(normalizePort('127.0.0.1:8080:80/TCP'), ['80/tcp']);
  assert.throws(() => normalizePort('http'), /invalid containerPort: http/);
});

test('history: layer steps and empty ones, RUN with its args as BuildKit writes it', () => {
  const s = stages('FROM a\nARG V=1\nRUN echo $V\nENV X=y\nCOPY . /app\n')[0]!;
  assert.deepEqual(
    historyFor(s).map((h) => [h.created_by, h.empty_layer]),
    [
      ['ARG V=1', true],
      ['RUN |1 V=1 /bin/sh -c echo $V # buildkit', false],
      ['ENV X=y', true],
      ['COPY . /app # buildkit', false],
    ],
  );
});
