// `image load` from stdin (`load < x.tar`, `load -i -`) and `image import --change` with the
// Dockerfile instructions docker import accepts, the tarball also read from stdin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { GANTRY_BIN, type CliResult } from '../helpers/cli.ts';
import { ensureTestImages } from '../helpers/test-images.ts';

/** The CLI with `file` as its stdin, as a shell's `< file` gives it. */
function withStdin(args: readonly string[], file: string, env: Readonly<Record<string, string>>): Promise<CliResult> {
  const fd = openSync(file, 'r');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--', GANTRY_BIN, ...args], { env, stdio: [fd, 'pipe', 'pipe'] });
    closeSync(fd);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code ?? 1, stdout, stderr }));
  });
}

test('image load reads the archive from stdin, without -i and with -i -', async (t) => {
  const images = await ensureTestImages();
  for (const args of [
    ['image', 'load'],
    ['image', 'load', '-i', '-'],
  ]) {
    const root = mkdtempSync(join(tmpdir(), `gantry-load-${process.pid}-`));
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', GANTRY_ROOT: root, HOME: root };
    const r = await withStdin(args, images.dockerArchive, env);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, 'Loaded image: gantry-test/busybox:latest\n', args.join(' '));
    const ls = await withStdin(['image', 'inspect', 'gantry-test/busybox:latest'], '/dev/null', env);
    assert.equal(ls.exitCode, 0, ls.stderr);
  }
});

test('image import - REF --change: CMD, ENV, WORKDIR, EXPOSE, LABEL, USER, VOLUME, ENTRYPOINT as docker import', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const rootfs = join((await ensureTestImages()).ociLayout, '..', 'layer1.tar');
  const changes = [
    'ENV GREETING=hello PLACE=world',
    'WORKDIR /tmp',
    'EXPOSE 8080 53/udp',
    'LABEL org.example.kind="imported image"',
    'USER 0:0',
    'VOLUME ["/data"]',
    'ONBUILD RUN echo child',
    'CMD echo $GREETING $PLACE from $(pwd)',
  ];
  const imported = await withStdin(
    ['image', 'import', ...changes.flatMap((c) => ['--change', c]), '-m', 'from stdin', '-', 'imported:v1'],
    rootfs,
    e.env,
  );
  assert.equal(imported.exitCode, 0, imported.stderr);
  assert.match(imported.stdout, /^sha256:[0-9a-f]{64}\n$/);
  const inspect = await e.gantry(['image', 'inspect', 'imported:v1']);
  assert.equal(inspect.exitCode, 0, inspect.stderr);
  const [doc] = JSON.parse(inspect.stdout) as { Config: Record<string, unknown> }[];
  const c = doc!.Config;
  assert.deepEqual(c['Env'], ['GREETING=hello', 'PLACE=world']);
  assert.equal(c['WorkingDir'], '/tmp');
  assert.deepEqual(c['ExposedPorts'], { '8080/tcp': {}, '53/udp': {} });
  assert.deepEqual(c['Labels'], { 'org.example.kind': 'imported image' });
  assert.equal(c['User'], '0:0');
  assert.deepEqual(c['Volumes'], { '/data': {} });
  assert.deepEqual(c['Cmd'], ['/bin/sh', '-c', 'echo $GREETING $PLACE from $(pwd)']);
  const run = await e.gantry(['container', 'run', '--rm', 'imported:v1']);
  assert.equal(run.exitCode, 0, run.stderr);
  assert.equal(run.stdout, 'hello world from /tmp\n');
  // The ONBUILD trigger is in the config: a build FROM the imported image runs it.
  const child = e.project('onbuild', { Dockerfile: 'FROM imported:v1\n' });
  const built = await e.gantry(['image', 'build', '--progress', 'plain', '-t', 'child:1', child]);
  assert.equal(built.exitCode, 0, built.stderr);
  assert.match(built.stderr, /^#\d+ child$/m, built.stderr);

  const entry = await withStdin(
    ['image', 'import', '-c', 'ENTRYPOINT ["/bin/echo", "entry"]', '-', 'imported:v2'],
    rootfs,
    e.env,
  );
  assert.equal(entry.exitCode, 0, entry.stderr);
  const ran = await e.gantry(['container', 'run', '--rm', 'imported:v2', 'arg']);
  assert.equal(ran.stdout, 'entry arg\n', ran.stderr);

  const refused = await withStdin(['image', 'import', '--change', 'RUN echo no', '-', 'imported:v3'], rootfs, e.env);
  assert.equal(refused.exitCode, 2);
  assert.match(refused.stderr, /--change "RUN echo no": run is not a valid change command/);
});
