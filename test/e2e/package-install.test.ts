// The package as npm installs it: packed, installed into an empty prefix, and run from there
// (regression: an installed `container run` failed with `spawn .../node_modules/native/build/
// gantry-shim ENOENT`: npm pack left native/ out and the path was resolved above the package).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { packAndInstall, REPO, type PackedInstall } from '../helpers/packed-install.ts';
import { ensureTestImages } from '../helpers/test-images.ts';

let inst: PackedInstall;
let env: Record<string, string>;

function gantry(args: readonly string[], cwd?: string): { code: number; out: string; err: string } {
  const r = spawnSync(inst.bin, args, { cwd: cwd ?? inst.dir, env, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

before(async () => {
  inst = packAndInstall();
  const path = `${dirname(process.execPath)}:${process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin'}`;
  env = { PATH: path, HOME: inst.dir, GANTRY_ROOT: join(inst.dir, 'state') };
  const loaded = gantry(['image', 'load', '-i', (await ensureTestImages()).dockerArchive]);
  assert.equal(loaded.code, 0, loaded.err);
});
after(() => {
  if (inst) rmSync(inst.dir, { recursive: true, force: true });
});

test('the tarball carries both prebuilt shims and the shim sources, and nothing of the repo besides', () => {
  const files = spawnSync('tar', ['-tzf', inst.tarball], { encoding: 'utf8' }).stdout.split('\n');
  for (const f of [
    'native/prebuilt/linux-x64/gantry-shim',
    'native/prebuilt/linux-arm64/gantry-shim',
    'native/gantry-shim.c',
    'dist/index.js',
    'dist/index.d.ts',
    'dist/gantry.cjs',
    'bin/gantry.js',
    'schemas/compose.schema.json',
  ]) {
    assert.ok(files.includes(`package/${f}`), f);
  }
  assert.deepEqual(
    files.filter((f) => /^package\/(scripts|src|test|native\/build)\//.test(f)),
    [],
  );
  const manifest = JSON.parse(readFileSync(join(inst.packageDir, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  for (const hook of ['preinstall', 'install', 'postinstall']) assert.equal(manifest.scripts?.[hook], undefined, hook);
});

test('gantry --version from the install', () => {
  const r = gantry(['--version']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, `gantry version ${inst.version}\n`);
});

test('container run --rm from the install runs the prebuilt shim (nothing compiled)', () => {
  const r = gantry(['container', 'run', '--rm', 'gantry-test/busybox:latest', 'sh', '-c', 'echo ran; true']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'ran\n');
  assert.equal(
    existsSync(join(inst.packageDir, 'native', 'build')),
    false,
    'the shim was compiled instead of the prebuilt one used',
  );
  const doctor = gantry(['doctor']);
  assert.match(
    doctor.out,
    new RegExp(`^ok +shim +${inst.packageDir}/native/prebuilt/linux-${process.arch}/gantry-shim$`, 'm'),
  );
});

test('up -d --wait and down of examples/one-shot from the install', async () => {
  const port = await freePort();
  const dir = join(inst.dir, 'one-shot');
  mkdirSync(dir);
  const compose = readFileSync(join(REPO, 'examples/one-shot/compose.yaml'), 'utf8').replace(
    '127.0.0.1:8081:80',
    `127.0.0.1:${port}:80`,
  );
  writeFileSync(join(dir, 'compose.yaml'), compose);
  const name = `pkg-one-shot-${process.pid}`;
  try {
    const up = gantry(['-p', name, 'up', '-d', '--wait'], dir);
    assert.equal(up.code, 0, up.err);
    const body = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    assert.equal(body, 'prepared by a one-shot job\n');
  } finally {
    const down = gantry(['-p', name, 'down', '-v'], dir);
    assert.equal(down.code, 0, down.err);
  }
  const ps = gantry(['-p', name, 'ps', '-a', '-q'], dir);
  assert.equal(ps.out, '');
});

test('require() and import of the installed package both work, with types for each', () => {
  const consumer = join(inst.dir, 'consumer');
  mkdirSync(consumer);
  symlinkSync(join(inst.prefix, 'lib', 'node_modules'), join(consumer, 'node_modules'));
  const cjs = spawnSync(
    process.execPath,
    ['-e', "const g = require('gantry'); console.log(typeof g.loadProject, typeof g.ConfigError)"],
    {
      cwd: consumer,
      encoding: 'utf8',
    },
  );
  assert.equal(cjs.stdout, 'function function\n', cjs.stderr);
  assert.doesNotMatch(cjs.stderr, /Warning/);
  const esm = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', "import { openProject } from 'gantry'; console.log(typeof openProject)"],
    {
      cwd: consumer,
      encoding: 'utf8',
    },
  );
  assert.equal(esm.stdout, 'function\n', esm.stderr);
  writeFileSync(
    join(consumer, 'a.cts'),
    "import gantry = require('gantry');\nconst e: typeof gantry.ConfigError = gantry.ConfigError;\nexport = e;\n",
  );
  writeFileSync(
    join(consumer, 'b.mts'),
    "import { loadProject, type LoadOptions } from 'gantry';\nexport const f: (o: LoadOptions) => unknown = loadProject;\n",
  );
  writeFileSync(
    join(consumer, 'bad.mts'),
    "import { loadProject } from 'gantry';\nexport const n: number = loadProject;\n",
  );
  const tsc = (files: string[]) =>
    spawnSync(
      process.execPath,
      [
        join(REPO, 'node_modules/typescript/bin/tsc'),
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--types',
        'node',
        '--typeRoots',
        join(REPO, 'node_modules/@types'),
        ...files,
      ],
      { cwd: consumer, encoding: 'utf8' },
    );
  const good = tsc(['a.cts', 'b.mts']);
  assert.equal(good.status, 0, good.stdout);
  // The types are real, not any: a wrong use is an error.
  assert.match(tsc(['bad.mts']).stdout, /bad\.mts.*TS2322/);
});

test('the installed package drives a stack through its Node API: up with a wait, a request, exec, down', () => {
  const consumer = join(inst.dir, 'api-consumer');
  mkdirSync(consumer);
  symlinkSync(join(inst.prefix, 'lib', 'node_modules'), join(consumer, 'node_modules'));
  writeFileSync(join(consumer, 'compose.yaml'), readFileSync(join(REPO, 'examples/test-suites/compose.yaml')));
  const script = [
    "import { compose, wait } from 'gantry';",
    `const env = await compose({ files: ['compose.yaml'], projectName: 'pkg-api-${process.pid}' }).up({`,
    "  waitFor: { web: wait.forHttp('/health', { port: 80 }), worker: wait.forLogLine(/worker ready/) },",
    '});',
    'try {',
    "  const res = await fetch(await env.service('web').url(80, '/health'));",
    "  const r = await env.service('worker').exec(['wget', '-q', '-O', '-', 'http://web/health']);",
    '  console.log(JSON.stringify({ status: res.status, body: await res.text(), exec: r }));',
    '} finally {',
    '  await env.down({ volumes: true });',
    '}',
  ].join('\n');
  writeFileSync(join(consumer, 'suite.mjs'), script);
  const r = spawnSync(process.execPath, ['suite.mjs'], { cwd: consumer, env, encoding: 'utf8', timeout: 180_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    status: 200,
    body: 'ok\n',
    exec: { exitCode: 0, stdout: 'ok\n', stderr: '' },
  });
  const ps = gantry(['-p', `pkg-api-${process.pid}`, 'ps', '-a', '-q'], consumer);
  assert.equal(ps.out, '', 'down left containers');
});
