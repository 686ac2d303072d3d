// `container run --tmpfs` entries become runtime tmpfs mounts with Compose's byte units.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTmpfs } from '../../../src/engine/translate/mounts.ts';

test('tmpfs size takes byte units and plain numbers; mode is octal', () => {
  assert.deepEqual(parseTmpfs('/run:size=64m,mode=1777'), {
    type: 'tmpfs',
    target: '/run',
    size: 64 * 1024 * 1024,
    mode: 0o1777,
  });
  assert.deepEqual(parseTmpfs('/scratch:size=2097152'), { type: 'tmpfs', target: '/scratch', size: 2097152 });
  assert.deepEqual(parseTmpfs('/tmp'), { type: 'tmpfs', target: '/tmp' });
});
