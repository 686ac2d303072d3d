// Relative paths of foreign content made absolute; interpolation over a document (values only,
// errors with position and key path); env files read in order with the shell winning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { absolutizeService } from '../../../src/project/paths.ts';
import { interpolateTree } from '../../../src/project/interpolate.ts';
import { setPos } from '../../../src/project/positions.ts';
import { overlay, readEnvFiles } from '../../../src/project/env.ts';
import { resolveServiceEnvFiles } from '../../../src/project/service-env.ts';

test('absolutizeService: build context, env_file, bind sources, watch paths; not remotes or names', () => {
  const svc: Record<string, unknown> = {
    build: { context: './ctx', dockerfile: 'Dockerfile' },
    env_file: ['a.env', { path: './b.env', required: false }],
    label_file: 'labels',
    volumes: [
      './data:/data:ro',
      'named:/n',
      '/abs:/abs',
      '~/home:/h',
      { type: 'bind', source: 'rel', target: '/r' },
      { type: 'volume', source: 'v', target: '/v' },
    ],
    develop: { watch: [{ path: './src', action: 'sync' }] },
  };
  absolutizeService(svc, '/base');
  assert.deepEqual(svc, {
    build: { context: '/base/ctx', dockerfile: 'Dockerfile' },
    env_file: ['/base/a.env', { path: '/base/b.env', required: false }],
    label_file: '/base/labels',
    volumes: [
      '/base/data:/data:ro',
      'named:/n',
      '/abs:/abs',
      '~/home:/h',
      { type: 'bind', source: '/base/rel', target: '/r' },
      { type: 'volume', source: 'v', target: '/v' },
    ],
    develop: { watch: [{ path: '/base/src', action: 'sync' }] },
  });
  const remote = { build: 'https://github.com/x/y.git#main' };
  absolutizeService(remote, '/base');
  assert.equal(remote.build, 'https://github.com/x/y.git#main');
});

test('interpolateTree: values only, in sequences too; errors carry position and key path', () => {
  const doc: Record<string, unknown> = { services: { s: { labels: { '${K}': '${V}' }, command: ['a', '$V'], n: 5 } } };
  interpolateTree(doc, { lookup: (n) => ({ V: 'v', K: 'k' })[n] });
  assert.deepEqual(doc, { services: { s: { labels: { '${K}': 'v' }, command: ['a', 'v'], n: 5 } } });
  const bad: Record<string, unknown> = { services: { s: { image: '${X:?no}' } } };
  setPos((bad.services as Record<string, Record<string, unknown>>).s!, 'image', { file: 'f.yaml', line: 3, col: 12 });
  assert.throws(() => interpolateTree(bad, { lookup: () => undefined }), {
    name: 'ConfigError',
    message: 'f.yaml:3:12: services.s.image: required variable X is missing a value: no',
  });
});

test('readEnvFiles: later files win, the shell is looked up first, missing required files fail', (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-project-env-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'a.env'), 'A=1\nB=a\nS=file\n');
  writeFileSync(join(dir, 'b.env'), 'B=b\nC=${A}-${S}\n');
  const shell = { S: 'shell', UNSET: undefined };
  const vars = readEnvFiles([join(dir, 'a.env'), join(dir, 'b.env')], shell, true);
  assert.deepEqual(vars, { A: '1', B: 'b', S: 'file', C: '1-shell' });
  assert.deepEqual(overlay(vars, shell), { A: '1', B: 'b', S: 'shell', C: '1-shell' });
  assert.deepEqual(readEnvFiles([join(dir, 'none.env')], shell, false), {});
  assert.throws(() => readEnvFiles([join(dir, 'none.env')], shell, true), /env file .*none.env not found/);
});

test('service env_file: defaults under explicit environment, optional files skipped, unknown format refused', (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-project-svcenv-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'a.env'), 'A=file\nB=file\nC=${PROJECT_VAR}\n');
  const doc = {
    services: {
      s: { env_file: ['a.env', { path: 'none.env', required: false }], environment: ['A=explicit', 'B'] },
      plain: { image: 'x' },
    },
  };
  const out = resolveServiceEnvFiles(doc, dir, { PROJECT_VAR: 'p' });
  assert.deepEqual((out.services as Record<string, unknown>).s, {
    env_file: [
      { path: join(dir, 'a.env'), required: true },
      { path: join(dir, 'none.env'), required: false },
    ],
    environment: { A: 'explicit', B: 'file', C: 'p' },
  });
  assert.equal((out.services as Record<string, unknown>).plain, doc.services.plain);
  assert.deepEqual(doc.services.s.environment, ['A=explicit', 'B']);
  const bad = { services: { s: { env_file: [{ path: 'a.env', format: 'json' }] } } };
  assert.throws(() => resolveServiceEnvFiles(bad, dir, {}), {
    message: 'services.s.env_file: unsupported env_file format "json"',
  });
});
