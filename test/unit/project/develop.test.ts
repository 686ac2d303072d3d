// develop.watch in the model: rules normalized (absolute path, defaults, exec as argv + map),
// Compose's own checks (sync actions need a target, sync+exec needs exec), no warning any more,
// and the rules do not change the service's hash (editing them recreates nothing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadProject } from '../../../src/project/index.ts';
import { serviceHash } from '../../../src/project/hash.ts';

const load = (yaml: string) =>
  loadProject({
    files: ['-'],
    envFiles: [],
    profiles: [],
    environment: {},
    workingDir: '/proj',
    projectName: 'demo',
    readStdin: async () => yaml,
  });

test('develop.watch: rules normalized with defaults; no "not supported" warning', async () => {
  const p = await load(`services:
  web:
    image: busybox
    develop:
      watch:
        - { path: ./src, action: sync, target: /app, ignore: "*.tmp", initial_sync: true }
        - path: hooks
          action: sync+exec
          target: /hooks
          exec: { command: echo hi, user: "1000", environment: [A=1, B] }
        - { path: ./Dockerfile, action: rebuild }
`);
  assert.deepEqual(p.services.web!.develop, {
    watch: [
      { path: '/proj/src', action: 'sync', target: '/app', ignore: ['*.tmp'], initial_sync: true },
      {
        path: '/proj/hooks',
        action: 'sync+exec',
        target: '/hooks',
        ignore: [],
        initial_sync: false,
        exec: { command: ['echo', 'hi'], user: '1000', environment: { A: '1', B: null } },
      },
      { path: '/proj/Dockerfile', action: 'rebuild', ignore: [], initial_sync: false },
    ],
  });
  assert.deepEqual(
    p.warnings.filter((w) => w.includes('develop')),
    [],
  );
});

test('develop.watch: sync without target and sync+exec without exec are config errors', async () => {
  await assert.rejects(
    load('services:\n  web:\n    image: b\n    develop:\n      watch: [{ path: ., action: sync }]\n'),
    /services\.web\.develop\.watch\[0\]: target is required for sync actions/,
  );
  await assert.rejects(
    load('services:\n  web:\n    image: b\n    develop:\n      watch: [{ path: ., action: sync+exec, target: /a }]\n'),
    /exec is required for sync\+exec actions/,
  );
});

test('develop.watch rules are not part of the service hash', async () => {
  const a = await load('services:\n  web:\n    image: b\n    develop:\n      watch: [{ path: ., action: rebuild }]\n');
  const b = await load('services:\n  web:\n    image: b\n');
  assert.equal(serviceHash(a.services.web!), serviceHash(b.services.web!));
});
