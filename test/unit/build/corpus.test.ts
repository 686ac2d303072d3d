// Real-world style Dockerfiles (test/fixtures/dockerfiles/*): parsed, graphed and resolved end to
// end, with the facts an image config would be built from checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDockerfile } from '../../../src/build/dockerfile/parse.ts';
import type { Instruction } from '../../../src/build/dockerfile/types.ts';
import { buildWaves, stageGraph, stagesForTarget } from '../../../src/build/graph/stage-graph.ts';
import { globalScope } from '../../../src/build/resolve/global-args.ts';
import { resolveDockerfile } from '../../../src/build/resolve/resolve.ts';
import type { ResolvedStage } from '../../../src/build/resolve/types.ts';

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/dockerfiles');
const amd64 = { os: 'linux', architecture: 'amd64' } as const;

function build(name: string, target?: string) {
  const df = parseDockerfile(readFileSync(`${DIR}/${name}/Dockerfile`, 'utf8'), { file: `${name}/Dockerfile` });
  const graph = stageGraph(df, globalScope(df, new Map(), amd64));
  const needed = stagesForTarget(df, graph, target);
  const resolved = resolveDockerfile(df, { platform: amd64, stages: needed });
  return { df, graph, needed, resolved, waves: buildWaves(graph, needed) };
}
function last<K extends Instruction['kind']>(s: ResolvedStage, kind: K): Extract<Instruction, { kind: K }> | undefined {
  const found = s.steps.map((x) => x.instruction).filter((i) => i.kind === kind);
  return found[found.length - 1] as Extract<Instruction, { kind: K }> | undefined;
}

test('node: three stages, deps and runtime both FROM base, cache mount, --chown from a stage', () => {
  const { df, resolved, waves } = build('node');
  assert.equal(df.syntax, 'docker/dockerfile:1.7');
  assert.deepEqual(waves, [[0], [1], [2]]);
  const runtime = resolved.stages[2]!;
  assert.equal(resolved.stages[0]!.baseName, 'node:20-bookworm-slim');
  assert.deepEqual(runtime.final.env, [
    ['NODE_ENV', 'production'],
    ['PORT', '8080'],
  ]);
  assert.deepEqual([runtime.final.workdir, runtime.final.user], ['/usr/src/app', 'node']);
  assert.deepEqual(last(runtime, 'EXPOSE')?.ports, ['8080']);
  assert.deepEqual(
    last(runtime, 'LABEL')?.pairs.map((p) => p.key),
    ['org.opencontainers.image.title', 'org.opencontainers.image.version'],
  );
  assert.deepEqual(last(runtime, 'HEALTHCHECK')?.test, ['CMD', 'node', 'healthcheck.js']);
  const copy = runtime.steps.find((s) => s.instruction.kind === 'COPY')!.instruction;
  assert.deepEqual(copy.kind === 'COPY' && [copy.from, copy.chown], ['deps', 'node:node']);
  const npm = resolved.stages[1]!.steps.find((s) => s.instruction.kind === 'RUN')!.instruction;
  assert.deepEqual(npm.kind === 'RUN' && npm.mounts[0]!.type === 'cache' && npm.mounts[0]!.sharing, 'locked');
});

test('python: RUN heredoc script, <<- quoted COPY heredoc, secret mount, ENTRYPOINT + CMD', () => {
  const { resolved } = build('python');
  const s = resolved.stages[0]!;
  assert.equal(s.final.workdir, '/srv/app');
  const run = s.steps.find((x) => x.instruction.kind === 'RUN')!.instruction;
  assert.equal(run.kind === 'RUN' && run.heredocs[0]!.content.split('\n')[0], 'set -eux');
  const conf = s.steps.map((x) => x.instruction).find((i) => i.kind === 'COPY' && i.sources[0]!.kind === 'heredoc');
  assert.deepEqual(
    conf?.kind === 'COPY' && conf.sources[0]!.kind === 'heredoc' && [conf.sources[0]!.heredoc.content, conf.dest],
    ['bind = "0.0.0.0:8000"\nworkers = 2\n', '/etc/gunicorn.conf.py'],
  );
  const pip = s.steps.map((x) => x.instruction).filter((i) => i.kind === 'RUN')[1]!;
  assert.deepEqual(pip.kind === 'RUN' && pip.mounts.map((m) => m.type), ['cache', 'secret']);
  assert.deepEqual(last(s, 'VOLUME')?.paths, ['/srv/app/data']);
  assert.deepEqual(last(s, 'ENTRYPOINT')?.command, { form: 'exec', args: ['gunicorn', '-c', '/etc/gunicorn.conf.py'] });
});

test('go: --platform=$BUILDPLATFORM, platform args, target test skips final and certs; default target skips test', () => {
  const all = build('go');
  assert.deepEqual([...all.needed].sort(), [0, 2, 3]);
  assert.deepEqual(all.waves, [[0, 2], [3]]);
  const buildStage = all.resolved.stages[0]!;
  assert.deepEqual([buildStage.baseName, buildStage.platform], ['golang:1.22-alpine', 'linux/amd64']);
  assert.deepEqual(buildStage.steps[2]!.runEnv, ['TARGETOS=linux', 'TARGETARCH=amd64']);
  assert.equal(all.resolved.stages[2]!.baseName, 'alpine:3.19');
  const final = all.resolved.stages[3]!;
  assert.deepEqual([final.base, final.final.user], [{ kind: 'scratch' }, '65532:65532']);
  const t = build('go', 'test');
  assert.deepEqual([...t.needed].sort(), [0, 1]);
});

test('nginx-static: a COPY --from=assets, COPY heredoc with a default, ONBUILD kept, MAINTAINER', () => {
  const { resolved, waves } = build('nginx-static');
  assert.deepEqual(waves, [[0], [1]]);
  const s = resolved.stages[1]!;
  const version = s.steps.map((x) => x.instruction).find((i) => i.kind === 'COPY' && i.sources[0]!.kind === 'heredoc');
  assert.equal(
    version?.kind === 'COPY' && version.sources[0]!.kind === 'heredoc' && version.sources[0]!.heredoc.content,
    'built from unknown\n',
  );
  assert.deepEqual(s.final.onBuild, ['COPY site/ /usr/share/nginx/html/']);
  assert.deepEqual(last(s, 'EXPOSE')?.ports, ['80', '443']);
  assert.equal(last(s, 'STOPSIGNAL')?.signal, 'SIGQUIT');
  assert.equal(last(s, 'MAINTAINER')?.name, 'Web Team <web@example.com>');
});

test('windows style (escape=`, CRLF): backslashes literal, backtick continues', () => {
  const { df, resolved } = build('windows');
  assert.equal(df.escape, '`');
  const s = resolved.stages[0]!;
  const ins = s.steps.map((x) => x.instruction);
  assert.deepEqual(
    ins.map((i) => i.kind),
    ['SHELL', 'ENV', 'WORKDIR', 'COPY', 'RUN', 'CMD'],
  );
  assert.equal(ins[2]!.kind === 'WORKDIR' && ins[2]!.path, 'C:\\app');
  assert.deepEqual(ins[3]!.kind === 'COPY' && [ins[3]!.sources, ins[3]!.dest], [
    [{ kind: 'path', path: 'bin\\' }],
    '.\\bin\\',
  ]);
  assert.deepEqual(ins[4]!.kind === 'RUN' && ins[4]!.command, {
    form: 'shell',
    text: 'New-Item -ItemType Directory -Path C:\\data ;     Write-Host "ready"',
  });
  assert.deepEqual(ins[5]!.kind === 'CMD' && ins[5]!.command, { form: 'exec', args: ['C:\\app\\bin\\app.exe'] });
});
