// Every Dockerfile instruction and flag of issue 16 not exercised elsewhere, built FROM the
// offline test image (and FROM scratch) through the CLI and checked on the result (image inspect,
// container run): directives (escape, syntax), heredocs (RUN and COPY), ARG (global, per stage,
// --build-arg, substitution forms), ENV, LABEL and --label, USER, SHELL, exec-form RUN,
// ENTRYPOINT + CMD, EXPOSE, VOLUME, HEALTHCHECK, STOPSIGNAL, MAINTAINER, ONBUILD (runs in the
// child build), COPY --chown/--chmod/--link/--exclude, ADD of a local tar (extracted), FROM
// scratch, --platform (the host's builds, another is refused), .dockerignore (`**`, `!`, order),
// -q and --iidfile. The map of instruction → test is test/e2e/BUILD-COVERAGE.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { buildContext } from '../helpers/build-context.ts';
import { formatPlatform, hostPlatform } from '../../src/build/index.ts';

const IMG = 'gantry-test/busybox:latest';

interface Inspect {
  Id: string;
  Config: {
    Env: string[];
    Cmd: string[] | null;
    Entrypoint: string[] | null;
    WorkingDir: string;
    User: string;
    ExposedPorts: Record<string, object>;
    Volumes: Record<string, object>;
    StopSignal: string;
    Labels: Record<string, string>;
    Healthcheck?: { Test: string[]; Interval: number; Retries: number };
  };
}

test('image build: every instruction and flag, checked on the image', { timeout: 600_000 }, async (t) => {
  const r = await e2eRoot(t.after.bind(t));
  const inspect = async (ref: string): Promise<Inspect> => {
    const i = await r.gantry(['image', 'inspect', ref]);
    assert.equal(i.exitCode, 0, i.stderr);
    return (JSON.parse(i.stdout) as Inspect[])[0]!;
  };

  await t.test('metadata instructions, ARG scopes and substitution, SHELL, heredocs, escape', async () => {
    const dir = buildContext(r, 'meta', {
      Dockerfile: `# syntax=example.invalid/frontend:1
# escape=\`
ARG BASE=${IMG}
ARG WHO=global
FROM \${BASE} AS base
ARG WHO
ARG LEVEL=low
ENV APP_HOME=/srv/app \`
    MODE=\${LEVEL:-none}-\${UNSET:-dflt}-\${LEVEL:+set}
LABEL org.example.who="\${WHO}" org.example.level=\${LEVEL}
MAINTAINER someone@example.invalid
WORKDIR \${APP_HOME}
RUN ["sh", "-c", "echo exec-form > exec.txt"]
RUN echo "proxy=$http_proxy" > proxy.txt
SHELL ["/bin/sh", "-c", "set -e; echo shell-was-used > /srv/app/shell.txt; eval \\"$1\\"", "sh"]
RUN echo after-shell > after.txt
RUN <<EOF
echo "heredoc \${WHO}" > here.txt
echo second line >> here.txt
EOF
COPY <<EOT /srv/app/copied.txt
copied \${WHO}
EOT
USER 1234:1234
EXPOSE 8080/tcp 53/udp
VOLUME ["/data"]
HEALTHCHECK --interval=5s --retries=2 CMD ["true"]
STOPSIGNAL SIGINT
ENTRYPOINT ["sh", "-c", "cat exec.txt proxy.txt shell.txt after.txt here.txt copied.txt; echo $MODE; id -u; echo \\"$@\\"", "ep"]
CMD ["from-cmd"]
`,
    });
    const b = await r.gantry([
      'image',
      'build',
      '--build-arg',
      'WHO=argued',
      '--build-arg',
      'http_proxy=http://proxy.invalid:3128',
      '--label',
      'extra=yes',
      '--iidfile',
      join(r.root, 'iid'),
      '-t',
      'meta:1',
      dir,
    ]);
    assert.equal(b.exitCode, 0, b.stderr);
    assert.match(b.stderr, /# syntax=example\.invalid\/frontend:1 names another frontend/, 'noted, then ignored');
    const i = await inspect('meta:1');
    assert.equal(readFileSync(join(r.root, 'iid'), 'utf8'), i.Id, '--iidfile holds the id');
    assert.ok(i.Config.Env.includes('MODE=low-dflt-set'), i.Config.Env.join(' '));
    assert.ok(!i.Config.Env.some((e) => e.includes('proxy')), 'a proxy arg stays out of the image');
    assert.deepEqual(i.Config.Labels, {
      'org.gantry.test': 'busybox', // the base image's, kept
      'org.example.who': 'argued',
      'org.example.level': 'low',
      extra: 'yes',
    });
    assert.equal(i.Config.WorkingDir, '/srv/app');
    assert.equal(i.Config.User, '1234:1234');
    assert.deepEqual(Object.keys(i.Config.ExposedPorts).sort(), ['53/udp', '8080/tcp']);
    assert.deepEqual(Object.keys(i.Config.Volumes), ['/data']);
    assert.equal(i.Config.StopSignal, 'SIGINT');
    assert.deepEqual(i.Config.Healthcheck?.Test, ['CMD', 'true']);
    assert.equal(i.Config.Healthcheck?.Interval, 5e9);
    assert.equal(i.Config.Healthcheck?.Retries, 2);
    assert.deepEqual(i.Config.Cmd, ['from-cmd']);
    const run = await r.gantry(['container', 'run', '--rm', 'meta:1']);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.deepEqual(run.stdout.trim().split('\n'), [
      'exec-form',
      'proxy=http://proxy.invalid:3128',
      'shell-was-used',
      'after-shell',
      'heredoc argued',
      'second line',
      'copied argued',
      'low-dflt-set',
      '1234',
      'from-cmd',
    ]);
    const q = await r.gantry(['image', 'build', '-q', '--build-arg', 'WHO=argued', '--label', 'extra=yes', dir]);
    assert.equal(q.exitCode, 0, q.stderr);
    assert.equal(q.stdout.trim(), i.Id, '-q prints only the id; a proxy arg is not in any cache key');
  });

  await t.test('COPY --chown/--chmod/--link/--exclude, ADD of a local tar, .dockerignore rules', async () => {
    const dir = buildContext(r, 'copy', {
      'keep.txt': 'keep\n',
      'skip.log': 'skip\n',
      'important.log': 'important\n',
      Dockerfile: `FROM ${IMG}
COPY --chown=1000:1000 --chmod=640 keep.txt /c/owned.txt
COPY --link keep.txt /linked/
COPY --exclude=*.md docs/ /docs/
ADD bundle.tar /extracted/
COPY . /ctx/
CMD ["sh", "-c", "stat -c '%u:%g %a' /c/owned.txt; ls /linked /docs /extracted/bundle; find /ctx -type f | sort"]
`,
      '.dockerignore': '**/*.log\n!important.log\nnested/**\n!nested/keep/*\nDockerfile\n',
    });
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs', 'a.txt'), 'a\n');
    writeFileSync(join(dir, 'docs', 'b.md'), 'b\n');
    mkdirSync(join(dir, 'nested', 'keep'), { recursive: true });
    writeFileSync(join(dir, 'nested', 'gone.txt'), 'gone\n');
    writeFileSync(join(dir, 'nested', 'keep', 'kept.txt'), 'kept\n');
    mkdirSync(join(dir, 'b', 'bundle'), { recursive: true });
    writeFileSync(join(dir, 'b', 'bundle', 'inside.txt'), 'inside\n');
    execFileSync('tar', ['-cf', join(dir, 'bundle.tar'), '-C', join(dir, 'b'), 'bundle']);
    execFileSync('rm', ['-rf', join(dir, 'b')]);
    symlinkSync('/etc/hostname', join(dir, 'docs', 'host-link'));
    const b = await r.gantry(['image', 'build', '-t', 'copy:1', dir]);
    assert.equal(b.exitCode, 0, b.stderr);
    const run = await r.gantry(['container', 'run', '--rm', 'copy:1']);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.deepEqual(run.stdout.trim().split('\n'), [
      '1000:1000 640',
      '/docs:',
      'a.txt',
      'host-link',
      '',
      '/extracted/bundle:',
      'inside.txt',
      '',
      '/linked:',
      'keep.txt',
      '/ctx/.dockerignore',
      '/ctx/bundle.tar',
      '/ctx/docs/a.txt',
      '/ctx/docs/b.md',
      '/ctx/important.log',
      '/ctx/keep.txt',
      '/ctx/nested/keep/kept.txt',
    ]);
    const link = await r.gantry(['container', 'run', '--rm', 'copy:1', 'readlink', '/docs/host-link']);
    assert.equal(link.stdout, '/etc/hostname\n', 'a context symlink is copied as a link, never followed');
    // <Dockerfile>.dockerignore beside the Dockerfile wins over the context's .dockerignore.
    mkdirSync(join(dir, 'alt'));
    writeFileSync(join(dir, 'alt', 'Dockerfile'), `FROM ${IMG}\nCOPY keep.txt /\n`);
    writeFileSync(join(dir, 'alt', 'Dockerfile.dockerignore'), 'keep.txt\n');
    const alt = await r.gantry(['image', 'build', '-f', 'alt/Dockerfile', dir]);
    assert.notEqual(alt.exitCode, 0);
    assert.match(alt.stderr, /keep\.txt.*not found in the build context/);
  });

  await t.test('FROM scratch; ONBUILD runs in the child build; --platform: the host only', async () => {
    const host = formatPlatform(hostPlatform());
    const dir = buildContext(r, 'scratch', {
      'hello.txt': 'from scratch\n',
      Dockerfile: `FROM --platform=${host} ${IMG} AS tools\nFROM scratch\nCOPY --from=tools /bin/busybox /bin/busybox\nCOPY hello.txt /\nENTRYPOINT ["/bin/busybox"]\nCMD ["cat", "/hello.txt"]\n`,
      'Dockerfile.parent': `FROM ${IMG}\nONBUILD RUN echo trigger-ran > /onbuild.txt\n`,
      'Dockerfile.child': `FROM parent:1\nCMD ["cat", "/onbuild.txt"]\n`,
      'Dockerfile.other': `FROM --platform=linux/s390x ${IMG}\n`,
    });
    const b = await r.gantry(['image', 'build', '-t', 'scratch:1', dir]);
    assert.equal(b.exitCode, 0, b.stderr);
    const run = await r.gantry(['container', 'run', '--rm', 'scratch:1']);
    assert.equal(run.stdout, 'from scratch\n', run.stderr);
    const parent = await r.gantry(['image', 'build', '-f', 'Dockerfile.parent', '-t', 'parent:1', dir]);
    assert.equal(parent.exitCode, 0, parent.stderr);
    const lsParent = await r.gantry(['container', 'run', '--rm', 'parent:1', 'ls', '/onbuild.txt']);
    assert.notEqual(lsParent.exitCode, 0, 'ONBUILD does not run in the image that declares it');
    const child = await r.gantry(['image', 'build', '-f', 'Dockerfile.child', '-t', 'child:1', dir]);
    assert.equal(child.exitCode, 0, child.stderr);
    const onbuild = await r.gantry(['container', 'run', '--rm', 'child:1']);
    assert.equal(onbuild.stdout, 'trigger-ran\n', onbuild.stderr);
    if (!host.startsWith('linux/s390x')) {
      const other = await r.gantry(['image', 'build', '-f', 'Dockerfile.other', dir]);
      assert.notEqual(other.exitCode, 0);
      assert.match(other.stderr, /Dockerfile\.other:1.*linux\/s390x.*host platform only/);
    }
  });
});
