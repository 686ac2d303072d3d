// A volume's subpath reaches the runtime as MountSpec.subpath (never joined onto the volume's
// host path), and the mount plan hands it to the shim as "^VOLUME//SUBPATH", which the shim
// resolves inside the volume at mount time; a subpath that climbs out or is absolute is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadProject } from '../../../src/project/index.ts';
import { mountsFor } from '../../../src/engine/translate/mounts.ts';
import { mountOps } from '../../../src/runtime/rootfs/mount-plan.ts';
import type { ContainerSpec } from '../../../src/runtime/spec.ts';
import { ConfigError } from '../../../src/common/errors.ts';

const load = (subpath: string) =>
  loadProject({
    files: ['-'],
    envFiles: [],
    profiles: [],
    environment: {},
    workingDir: '/tmp',
    projectName: 'u',
    readStdin: async () =>
      `services:\n  s:\n    image: x\n    volumes: [{type: volume, source: v, target: /m, volume: {subpath: "${subpath}"}}]\nvolumes: {v: {}}\n`,
  });

test('volume subpath: kept apart from the source, resolved by the shim inside the volume', async () => {
  const p = await load('a/./b');
  const [m] = mountsFor('/state', p, p.services['s']!);
  assert.deepEqual(m, { type: 'bind', source: '/state/volumes/u_v/_data', subpath: 'a/b', target: '/m' });
  const spec = {
    rootfs: { layers: ['/l'] },
    process: { args: ['x'], env: [], cwd: '/' },
    mounts: [m!],
  } as unknown as ContainerSpec;
  const paths = {
    merged: '/r/m',
    upper: '/r/u',
    work: '/r/w',
    etc: { hosts: '/r/h', hostname: '/r/n', resolv: '/r/c' },
  };
  const ops = mountOps(spec, paths, { kind: () => undefined, nodev: false }).filter((o) => o.includes('@/m'));
  const src = '^/state/volumes/u_v/_data//a/b';
  // the last op makes the bind rprivate (Docker's default propagation)
  assert.deepEqual(
    ops.map((o) => o.slice(0, 3)),
    [
      ['mkpoint', src, '@/m'],
      ['mount', src, '@/m'],
      ['mount', '', '@/m'],
    ],
  );
});

test('volume subpath: absolute or climbing out of the volume is refused', async () => {
  for (const bad of ['../x', 'a/../../x', '/etc', '..']) {
    const p = await load(bad);
    assert.throws(
      () => mountsFor('/state', p, p.services['s']!),
      (e: unknown) => e instanceof ConfigError && /relative path inside the volume/.test(e.message),
      bad,
    );
  }
});
