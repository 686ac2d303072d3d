// Substitution scopes: global ARGs only in FROM unless redeclared, --build-arg over defaults, ENV
// over ARG, which instructions are substituted and which are not, proxy args, ONBUILD triggers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from '../../../src/build/dockerfile/parse.ts';
import type { StageInstruction } from '../../../src/build/dockerfile/types.ts';
import { resolveDockerfile, type ResolveOptions } from '../../../src/build/resolve/resolve.ts';
import type { ResolvedStage } from '../../../src/build/resolve/types.ts';

const amd64 = { os: 'linux', architecture: 'amd64' } as const;
function resolve(text: string, opts: Omit<ResolveOptions, 'platform'> = {}): readonly (ResolvedStage | undefined)[] {
  return resolveDockerfile(parseDockerfile(text), { platform: amd64, ...opts }).stages;
}
const steps = (s: ResolvedStage | undefined): readonly StageInstruction[] => s!.steps.map((x) => x.instruction);
const args = (m: Record<string, string>): ReadonlyMap<string, string> => new Map(Object.entries(m));

test('global ARGs reach FROM; in a stage only once redeclared', () => {
  const [s] = resolve('ARG TAG=3.19\nARG V=1\nFROM alpine:${TAG}\nWORKDIR /a/$V\nARG V\nWORKDIR $V\n');
  assert.equal(s!.baseName, 'alpine:3.19');
  const [w1, , w2] = steps(s);
  assert.equal(w1!.kind === 'WORKDIR' && w1!.path, '/a/');
  assert.equal(w2!.kind === 'WORKDIR' && w2!.path, '1');
  assert.equal(s!.final.workdir, '/a/1');
});

test('a --build-arg with no global ARG does not reach FROM', () => {
  assert.throws(
    () => resolve('FROM $IMG\n', { buildArgs: args({ IMG: 'alpine' }) }),
    /base name \(\$IMG\) should not be blank/,
  );
});

test('--build-arg beats the default, in the global scope and in a stage', () => {
  const [s] = resolve('ARG TAG=3.19\nFROM alpine:$TAG\nARG MODE=dev\nLABEL mode=$MODE\n', {
    buildArgs: args({ TAG: 'edge', MODE: 'prod' }),
  });
  assert.equal(s!.baseName, 'alpine:edge');
  assert.deepEqual(steps(s)[1]!.kind === 'LABEL' && steps(s)[1], {
    ...steps(s)[1],
    pairs: [{ key: 'mode', value: 'prod' }],
  });
});

test('ENV overrides ARG of the same name, for substitution and for RUN', () => {
  const [s] = resolve('FROM a\nARG X=fromarg\nENV X=fromenv\nLABEL x=$X\nRUN echo $X\n', {
    buildArgs: args({ X: 'cli' }),
  });
  const label = steps(s)[2]!;
  assert.deepEqual(label.kind === 'LABEL' && label.pairs, [{ key: 'x', value: 'fromenv' }]);
  assert.deepEqual(s!.steps[3]!.runEnv, ['X=fromenv']);
});

test('one ENV line sees the values from before it', () => {
  const [s] = resolve('FROM a\nENV abc=hello\nENV abc=bye def=$abc\nENV ghi=$abc\n');
  assert.deepEqual(s!.final.env, [
    ['abc', 'bye'],
    ['def', 'hello'],
    ['ghi', 'bye'],
  ]);
});

test('RUN, CMD, ENTRYPOINT, HEALTHCHECK, SHELL are not substituted; COPY, WORKDIR, USER, VOLUME, EXPOSE are', () => {
  const [s] = resolve(
    'FROM a\nENV D=/data P=8080 U=app TWO="81 82"\nRUN echo $D\nCMD echo $D\nENTRYPOINT ["$D"]\n' +
      'HEALTHCHECK CMD test -d $D\nCOPY --chown=$U:$U --chmod=$P $D/x "${D}/y" /dst/$D\nUSER $U\nVOLUME ["$D"]\n' +
      'EXPOSE $P/tcp $TWO\nSTOPSIGNAL SIG$U\n',
  );
  const [, run, cmd, entry, hc, copy, user, vol, expose, stop] = steps(s);
  assert.deepEqual(run!.kind === 'RUN' && run!.command, { form: 'shell', text: 'echo $D' });
  assert.deepEqual(cmd!.kind === 'CMD' && cmd!.command, { form: 'shell', text: 'echo $D' });
  assert.deepEqual(entry!.kind === 'ENTRYPOINT' && entry!.command, { form: 'exec', args: ['$D'] });
  assert.deepEqual(hc!.kind === 'HEALTHCHECK' && hc!.test, ['CMD-SHELL', 'test -d $D']);
  assert.ok(copy!.kind === 'COPY');
  if (copy!.kind === 'COPY') {
    assert.deepEqual(
      [copy.sources, copy.dest, copy.chown, copy.chmod],
      [
        [
          { kind: 'path', path: '/data/x' },
          { kind: 'path', path: '/data/y' },
        ],
        '/dst//data',
        'app:app',
        '$P',
      ],
    );
  }
  assert.equal(user!.kind === 'USER' && user!.user, 'app');
  assert.deepEqual(vol!.kind === 'VOLUME' && vol!.paths, ['/data']);
  assert.deepEqual(expose!.kind === 'EXPOSE' && expose!.ports, ['8080/tcp', '81', '82']);
  assert.equal(stop!.kind === 'STOPSIGNAL' && stop!.signal, 'SIGapp');
});

test('heredoc bodies: substituted when the delimiter is bare, quotes stay; not when quoted', () => {
  const [s] = resolve("FROM a\nARG NAME=world\nCOPY <<EOF <<'RAW' /\nhello '$NAME' \"${NAME}\"\nEOF\n$NAME\nRAW\n");
  const copy = steps(s)[1]!;
  assert.ok(copy.kind === 'COPY');
  if (copy.kind !== 'COPY') return;
  assert.deepEqual(
    copy.sources.map((x) => x.kind === 'heredoc' && x.heredoc.content),
    [`hello 'world' "world"\n`, '$NAME\n'],
  );
});

test('ARG without a value and no --build-arg stays unset; RUN sees only set args', () => {
  const [s] = resolve('FROM a\nARG A\nARG B=2\nRUN x\nLABEL a=${A:-none}\n');
  assert.deepEqual(s!.steps[2]!.runEnv, ['B=2']);
  const label = steps(s)[3]!;
  assert.deepEqual(label.kind === 'LABEL' && label.pairs, [{ key: 'a', value: 'none' }]);
});

test('proxy args reach RUN without a declaration and stay out of runEnv; unused build args are reported', () => {
  const build = resolveDockerfile(parseDockerfile('FROM a\nARG USED\nRUN x\n'), {
    platform: amd64,
    buildArgs: args({ HTTP_PROXY: 'http://p:3128', USED: '1', TYPO: '2' }),
  });
  const run = build.stages[0]!.steps[1]!;
  assert.deepEqual(run.proxyEnv, ['HTTP_PROXY=http://p:3128']);
  assert.deepEqual(run.runEnv, ['USED=1']);
  assert.deepEqual(build.unusedBuildArgs, ['TYPO']);
});

test('platform args: automatic in the global scope, in a stage once declared', () => {
  const [s] = resolve(
    'FROM --platform=$BUILDPLATFORM alpine AS b\nARG TARGETARCH\nRUN echo\nLABEL arch=$TARGETARCH os=$TARGETOS\n',
  );
  assert.equal(s!.platform, 'linux/amd64');
  const label = steps(s)[2]!;
  assert.deepEqual(label.kind === 'LABEL' && label.pairs, [
    { key: 'arch', value: 'amd64' },
    { key: 'os', value: '' },
  ]);
});

test('FROM --platform other than the host is a clear error; a blank base name too', () => {
  assert.throws(
    () => resolve('FROM --platform=linux/arm64 alpine\n'),
    /Dockerfile:1: FROM: --platform=linux\/arm64: gantry builds for the host platform only/,
  );
  assert.throws(() => resolve('ARG IMG\nFROM $IMG\n'), /Dockerfile:2: FROM: base name \(\$IMG\) should not be blank/);
});

test('a stage FROM an earlier stage inherits its ENV, WORKDIR, USER but not its ARGs; ONBUILD triggers run', () => {
  const [, s] = resolve(
    'FROM a AS base\nARG A=1\nENV E=2\nWORKDIR /w\nUSER u\nONBUILD RUN echo hook\nFROM base\nLABEL a=${A:-unset}\n',
  );
  assert.deepEqual(s!.base, { kind: 'stage', index: 0 });
  assert.deepEqual([s!.final.env, s!.final.workdir, s!.final.user], [[['E', '2']], '/w', 'u']);
  assert.equal(s!.steps[0]!.onbuild, true);
  assert.equal(s!.steps[0]!.instruction.kind, 'RUN');
  const label = s!.steps[1]!.instruction;
  assert.deepEqual(label.kind === 'LABEL' && label.pairs, [{ key: 'a', value: 'unset' }]);
});

test('a base image config seeds ENV, WORKDIR, USER and its ONBUILD triggers run first', () => {
  const [s] = resolve('FROM node:20\nWORKDIR app\nRUN npm i\n', {
    baseImage: (ref) =>
      ref === 'node:20'
        ? { env: ['PATH=/usr/bin', 'NODE_VERSION=20'], workingDir: '/home', onBuild: ['ENV FROM_BASE=1'] }
        : undefined,
  });
  assert.equal(s!.steps[0]!.instruction.kind, 'ENV');
  assert.equal(s!.final.workdir, '/home/app');
  assert.deepEqual(s!.steps[2]!.runEnv, ['PATH=/usr/bin', 'NODE_VERSION=20', 'FROM_BASE=1']);
});

test('RUN --mount values are substituted with the stage scope', () => {
  const [s] = resolve('FROM a\nARG CACHE=/root/.cache\nRUN --mount=type=cache,target=$CACHE,id=${CACHE}-x make\n');
  const run = steps(s)[1]!;
  assert.deepEqual(
    run.kind === 'RUN' && run.mounts[0]!.type === 'cache' && [run.mounts[0]!.target, run.mounts[0]!.id],
    ['/root/.cache', '/root/.cache-x'],
  );
});

test('COPY --from sees only global ARGs', () => {
  const [, s] = resolve('ARG SRC=build\nFROM a AS build\nFROM b\nARG SRC=other\nCOPY --from=$SRC /x /y\n');
  const copy = steps(s)[1]!;
  assert.equal(copy.kind === 'COPY' && copy.from, 'build');
});

test('substitution errors name the line and instruction', () => {
  assert.throws(
    () => resolve('FROM a\n\nWORKDIR ${NEED:?set NEED}\n'),
    /Dockerfile:3: WORKDIR: failed to process .*NEED: set NEED/,
  );
});

test('only the stages asked for are resolved', () => {
  const stages = resolve('FROM a AS one\nRUN x\nFROM b AS two\nWORKDIR ${BROKEN:?}\nFROM c\n', {
    stages: new Set([0, 2]),
  });
  assert.deepEqual(
    stages.map((s) => s?.index),
    [0, undefined, 2],
  );
});
