// The stage graph: dependencies by FROM, COPY --from (name, index, image), RUN --mount from=;
// what a --target needs; build waves; unknown target, bad index, cycles, duplicate names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from '../../../src/build/dockerfile/parse.ts';
import { buildWaves, stageGraph, stagesForTarget } from '../../../src/build/graph/stage-graph.ts';
import { globalScope } from '../../../src/build/resolve/global-args.ts';

const amd64 = { os: 'linux', architecture: 'amd64' } as const;
function graphOf(text: string, buildArgs: Record<string, string> = {}) {
  const df = parseDockerfile(text);
  const g = stageGraph(df, globalScope(df, new Map(Object.entries(buildArgs)), amd64));
  return { df, g };
}

const MULTI = `ARG GO=1.22
FROM golang:\${GO} AS deps
RUN go mod download
FROM deps AS build
RUN --mount=type=cache,target=/root/.cache go build -o /app
FROM node:20 AS web
RUN npm ci
FROM alpine AS test
COPY --from=build /app /app
RUN --mount=type=bind,from=web,source=/dist,target=/dist /app -test
FROM scratch
COPY --from=build /app /app
COPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/
COPY --from=2 /dist /dist
`;

test('dependencies: FROM stage, COPY --from name / image / index, RUN --mount from', () => {
  const { g } = graphOf(MULTI);
  const refs = g.nodes.map((n) =>
    n.refs.map((r) => (r.kind === 'stage' ? `${r.via}:${r.index}` : `${r.via}:${r.ref}`)),
  );
  assert.deepEqual(refs, [
    ['FROM:golang:1.22'],
    ['FROM:0'],
    ['FROM:node:20'],
    ['FROM:alpine', 'COPY --from:1', 'RUN --mount from:2'],
    ['COPY --from:1', 'COPY --from:nginx:1.27', 'COPY --from:2'],
  ]);
});

test('the default target is the last stage; an unneeded stage is not in the set', () => {
  const { df, g } = graphOf(MULTI);
  assert.deepEqual([...stagesForTarget(df, g)].sort(), [0, 1, 2, 4]);
  assert.deepEqual([...stagesForTarget(df, g, 'build')].sort(), [0, 1]);
  assert.deepEqual([...stagesForTarget(df, g, 'TEST')].sort(), [0, 1, 2, 3]);
  assert.deepEqual(buildWaves(g, stagesForTarget(df, g)), [[0, 2], [1], [4]]);
});

test('unknown target, bad index, bad reference', () => {
  const { df, g } = graphOf(MULTI);
  assert.throws(() => stagesForTarget(df, g, 'prod'), /target stage "prod" could not be found/);
  assert.throws(() => graphOf('FROM a\nCOPY --from=3 /x /y\n'), /Dockerfile:2: COPY: invalid stage index 3/);
  assert.throws(
    () => graphOf('FROM a\nCOPY --from=Not_A_Ref! /x /y\n'),
    /Dockerfile:2: COPY: COPY --from=Not_A_Ref!: no stage of that name/,
  );
});

test('cycles through COPY --from are found, naming the stage', () => {
  const { df, g } = graphOf('FROM a AS one\nCOPY --from=two /x /x\nFROM b AS two\nCOPY --from=one /y /y\n');
  assert.throws(() => stagesForTarget(df, g, 'two'), /circular dependency detected on stage: (one|two)/);
  const self = graphOf('FROM a AS me\nCOPY --from=me /x /y\n');
  assert.throws(() => stagesForTarget(self.df, self.g), /circular dependency detected on stage: me/);
});

test('FROM only sees earlier stages (a later name is an image); duplicate and reserved names are errors', () => {
  const { g } = graphOf('FROM later\nFROM a AS later\n');
  assert.deepEqual(g.nodes[0]!.refs, [{ kind: 'image', ref: 'later', via: 'FROM', line: 1 }]);
  assert.throws(() => graphOf('FROM a AS x\nFROM b AS X\n'), /Dockerfile:2: FROM: duplicate stage name "x"/);
  assert.throws(() => graphOf('FROM a AS scratch\n'), /'scratch' is a reserved stage name/);
});

test('COPY --from and FROM use global args (and build args) to name stages', () => {
  const { df, g } = graphOf('ARG SRC=one\nFROM a AS one\nFROM b AS two\nFROM c\nCOPY --from=$SRC /x /y\n', {
    SRC: 'two',
  });
  assert.deepEqual([...stagesForTarget(df, g)].sort(), [1, 2]);
});
