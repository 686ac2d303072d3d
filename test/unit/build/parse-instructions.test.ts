// Each instruction's argument shapes and flags, both forms where there are two.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from '../../../src/build/dockerfile/parse.ts';
import type { Instruction, StageInstruction } from '../../../src/build/dockerfile/types.ts';

function one(line: string): StageInstruction {
  return parseDockerfile(`FROM scratch\n${line}\n`).stages[0]!.instructions[0]!;
}
function pick<K extends Instruction['kind']>(line: string, kind: K): Extract<Instruction, { kind: K }> {
  const ins = one(line);
  assert.equal(ins.kind, kind);
  return ins as Extract<Instruction, { kind: K }>;
}

test('FROM: image, AS name (lower-cased), --platform', () => {
  const f = parseDockerfile('FROM --platform=$BUILDPLATFORM golang:1.22 AS Build-Env\n').stages[0]!.from;
  assert.deepEqual([f.image, f.stageName, f.platform], ['golang:1.22', 'build-env', '$BUILDPLATFORM']);
  assert.throws(() => parseDockerfile('FROM a AS 1x'), /invalid name for build stage: "1x"/);
  assert.throws(() => parseDockerfile('FROM a b'), /FROM requires either one or three arguments/);
});

test('ARG: names, defaults, several per line, quotes kept for substitution', () => {
  assert.deepEqual(pick('ARG A B=2 C="x y"', 'ARG').args, [
    { name: 'A', value: undefined },
    { name: 'B', value: '2' },
    { name: 'C', value: '"x y"' },
  ]);
});

test('ENV: K V (rest of the line) and K=V forms', () => {
  assert.deepEqual(pick('ENV PATH /a:/b  with spaces', 'ENV').pairs, [{ key: 'PATH', value: '/a:/b  with spaces' }]);
  assert.deepEqual(pick('ENV A=1 B="two words" C=\\"q\\"', 'ENV').pairs, [
    { key: 'A', value: '1' },
    { key: 'B', value: '"two words"' },
    { key: 'C', value: '\\"q\\"' },
  ]);
  assert.deepEqual(pick('ENV A= B=""', 'ENV').pairs, [
    { key: 'A', value: '' },
    { key: 'B', value: '""' },
  ]);
});

test('LABEL: several pairs, quoted keys', () => {
  assert.deepEqual(pick('LABEL "com.example.vendor"="ACME Inc" version=1.0', 'LABEL').pairs, [
    { key: '"com.example.vendor"', value: '"ACME Inc"' },
    { key: 'version', value: '1.0' },
  ]);
});

test('WORKDIR, USER, STOPSIGNAL, MAINTAINER take the rest of the line', () => {
  assert.equal(pick('WORKDIR /app/$NAME', 'WORKDIR').path, '/app/$NAME');
  assert.equal(pick('USER app:app', 'USER').user, 'app:app');
  assert.equal(pick('STOPSIGNAL SIGQUIT', 'STOPSIGNAL').signal, 'SIGQUIT');
  assert.equal(pick('MAINTAINER Jane Doe <jane@example.com>', 'MAINTAINER').name, 'Jane Doe <jane@example.com>');
});

test('COPY: sources, destination, every flag; JSON form', () => {
  const c = pick(
    'COPY --from=build --chown=app:app --chmod=0755 --link --parents --exclude=*.md --exclude=tmp a b /dst/',
    'COPY',
  );
  assert.deepEqual(c.sources, [
    { kind: 'path', path: 'a' },
    { kind: 'path', path: 'b' },
  ]);
  assert.deepEqual(
    [c.dest, c.from, c.chown, c.chmod, c.link, c.parents, c.exclude],
    ['/dst/', 'build', 'app:app', '0755', true, true, ['*.md', 'tmp']],
  );
  const j = pick('COPY ["my file", "/with space/"]', 'COPY');
  assert.deepEqual([j.sources, j.dest], [[{ kind: 'path', path: 'my file' }], '/with space/']);
  assert.equal(pick('COPY --link=false a b', 'COPY').link, false);
});

test('ADD: --checksum, --keep-git-dir, --chown; COPY-only flags are refused', () => {
  const a = pick('ADD --checksum=sha256:abc --keep-git-dir=true --chown=1 https://x/y.tar.gz /src/', 'ADD');
  assert.deepEqual([a.checksum, a.keepGitDir, a.chown, a.dest], ['sha256:abc', true, '1', '/src/']);
  assert.throws(() => one('ADD --from=x a b'), /ADD: unknown flag: from/);
});

test('RUN: shell and exec forms, --network, --security, --mount of each type', () => {
  assert.deepEqual(pick('RUN ["/bin/echo", "a b"]', 'RUN').command, { form: 'exec', args: ['/bin/echo', 'a b'] });
  assert.deepEqual(pick('RUN [not json', 'RUN').command, { form: 'shell', text: '[not json' });
  const r = pick(
    'RUN --network=none --security=insecure --mount=type=cache,target=/root/.npm,id=npm,sharing=locked,mode=0755,uid=1000 ' +
      '--mount=type=bind,from=build,source=/out,target=/in ' +
      '--mount=type=tmpfs,target=/tmp,size=64m --mount=type=secret,id=tok,required ' +
      '--mount=type=ssh --mount=target=/ctx,rw npm ci',
    'RUN',
  );
  assert.deepEqual([r.network, r.security], ['none', 'insecure']);
  const strip = r.mounts.map(({ spec: _s, ...m }) => m);
  assert.deepEqual(strip, [
    {
      type: 'cache',
      target: '/root/.npm',
      id: 'npm',
      source: undefined,
      from: undefined,
      readOnly: false,
      sharing: 'locked',
      mode: 0o755,
      uid: 1000,
      gid: undefined,
    },
    { type: 'bind', target: '/in', source: '/out', from: 'build', readOnly: true },
    { type: 'tmpfs', target: '/tmp', size: 64 * 1024 * 1024 },
    {
      type: 'secret',
      id: 'tok',
      target: '/run/secrets/tok',
      env: undefined,
      required: true,
      mode: 0o400,
      uid: 0,
      gid: 0,
    },
    { type: 'ssh', id: 'default', target: undefined, required: false, mode: 0o600, uid: 0, gid: 0 },
    { type: 'bind', target: '/ctx', source: undefined, from: undefined, readOnly: false },
  ]);
  const env = pick('RUN --mount=type=secret,id=aws,env=AWS_KEY aws s3 ls', 'RUN').mounts[0]!;
  assert.deepEqual(env.type === 'secret' && [env.env, env.target], ['AWS_KEY', undefined]);
});

test('RUN --mount errors', () => {
  assert.throws(() => one('RUN --mount=type=nfs,target=/x a'), /unsupported mount type "nfs"/);
  assert.throws(() => one('RUN --mount=type=bind,mode=0700,target=/x a'), /mode not allowed for "bind" type mounts/);
  assert.throws(() => one('RUN --mount=type=cache,target=/x,sharing=all a'), /unsupported sharing value "all"/);
  assert.throws(() => one('RUN --mount=type=cache,target=/x,colour=red a'), /unexpected key 'colour'/);
  assert.throws(
    () => one('RUN --mount=type=bind,from=$STAGE,target=/x a'),
    /'from' doesn't support variable expansion/,
  );
  assert.throws(() => one('RUN --mount=type=tmpfs a'), /mount target is required for type=tmpfs/);
  assert.throws(() => one('RUN --network=bridge a'), /unsupported network mode "bridge"/);
});

test('CMD and ENTRYPOINT: exec and shell forms', () => {
  assert.deepEqual(pick('CMD ["node", "server.js"]', 'CMD').command, { form: 'exec', args: ['node', 'server.js'] });
  assert.deepEqual(pick('CMD node server.js', 'CMD').command, { form: 'shell', text: 'node server.js' });
  assert.deepEqual(pick('ENTRYPOINT ["/entry.sh"] trailing', 'ENTRYPOINT').command, {
    form: 'exec',
    args: ['/entry.sh'],
  });
  assert.throws(() => one('CMD ["a", 1]'), /arrays must be comprised of strings only/);
});

test('EXPOSE and VOLUME (JSON or list)', () => {
  assert.deepEqual(pick('EXPOSE 80/tcp 443 $PORT', 'EXPOSE').ports, ['80/tcp', '443', '$PORT']);
  assert.deepEqual(pick('VOLUME ["/data", "/var/log"]', 'VOLUME').paths, ['/data', '/var/log']);
  assert.deepEqual(pick('VOLUME /data /cache', 'VOLUME').paths, ['/data', '/cache']);
  assert.throws(() => one('VOLUME [""]'), /VOLUME specified can not be an empty string/);
});

test('HEALTHCHECK: NONE, CMD in both forms, every option', () => {
  assert.deepEqual(pick('HEALTHCHECK NONE', 'HEALTHCHECK').test, ['NONE']);
  const h = pick(
    'HEALTHCHECK --interval=5m --timeout=3s --start-period=1m30s --start-interval=500ms --retries=4 CMD curl -f http://localhost/ || exit 1',
    'HEALTHCHECK',
  );
  assert.deepEqual(
    [h.test, h.interval, h.timeout, h.startPeriod, h.startInterval, h.retries],
    [['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], 300e9, 3e9, 90e9, 500e6, 4],
  );
  assert.deepEqual(pick('HEALTHCHECK cmd ["/bin/check", "-q"]', 'HEALTHCHECK').test, ['CMD', '/bin/check', '-q']);
  assert.throws(() => one('HEALTHCHECK NONE extra'), /HEALTHCHECK NONE takes no arguments/);
  assert.throws(() => one('HEALTHCHECK --interval=0.5ms CMD x'), /Interval "interval" cannot be less than 1ms/);
  assert.throws(() => one('HEALTHCHECK --retries=-1 CMD x'), /--retries cannot be negative/);
  assert.throws(() => one('HEALTHCHECK PING x'), /Unknown type "PING" in HEALTHCHECK \(try CMD\)/);
  assert.throws(() => one('HEALTHCHECK CMD'), /Missing command after HEALTHCHECK CMD/);
  assert.throws(() => one('HEALTHCHECK --interval=5 CMD x'), /missing unit in duration "5"/);
});

test('SHELL must be JSON', () => {
  assert.deepEqual(pick('SHELL ["/bin/bash", "-o", "pipefail", "-c"]', 'SHELL').shell, [
    '/bin/bash',
    '-o',
    'pipefail',
    '-c',
  ]);
  assert.throws(() => one('SHELL /bin/bash -c'), /SHELL requires the arguments to be in JSON form/);
});

test('ONBUILD: the trigger is parsed, its text kept; ONBUILD ONBUILD / FROM / MAINTAINER refused', () => {
  const o = pick('ONBUILD COPY --chown=1 . /app', 'ONBUILD');
  assert.equal(o.expression, 'COPY --chown=1 . /app');
  assert.equal(o.trigger.kind, 'COPY');
  assert.throws(() => one('ONBUILD ONBUILD RUN x'), /Chaining ONBUILD/);
  assert.throws(() => one('ONBUILD FROM x'), /FROM isn't allowed as an ONBUILD trigger/);
});
