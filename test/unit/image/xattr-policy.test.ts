// Which layer xattrs reach the disk: kept, dropped, or the whole layer refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { xattrVerdict } from '../../../src/image/unpack/xattr-policy.ts';
import { xattrRecords } from '../../../src/image/unpack/special-nodes.ts';

const v = (name: string, value = Buffer.from('x')): string => xattrVerdict('img', 'f', name, value);

test('user.* and security.capability are kept; overlay, trusted, system and other security names dropped', () => {
  assert.deepEqual(
    ['user.mime_type', 'security.capability'].map((n) => v(n)),
    ['keep', 'keep'],
  );
  const dropped = [
    'trusted.overlay.opaque',
    'trusted.overlay.redirect',
    'trusted.x',
    'user.overlay.opaque',
    'user.',
    'system.posix_acl_access',
    'security.selinux',
    'security.ima',
    'SECURITY.capability',
    'other',
  ];
  assert.deepEqual(
    dropped.map((n) => v(n)),
    dropped.map(() => 'drop'),
  );
});

test('names with control bytes, empty or over-long names and over-long values refuse the layer', () => {
  for (const name of [
    'user.a\n# file: /bin/sh\nsecurity.capability',
    'user.a\0b',
    'user.\r',
    '',
    `user.${'a'.repeat(251)}`,
  ]) {
    assert.throws(() => v(name), /refusing to unpack/, JSON.stringify(name));
  }
  assert.throws(() => v('user.big', Buffer.alloc(65537)), /65537-byte value/);
  assert.equal(v(`user.${'a'.repeat(250)}`), 'keep');
});

test('the shim records are length-prefixed: path, name, value', () => {
  const b = xattrRecords([{ rel: 'a/b', name: 'user.n', value: Buffer.from([0, 10, 255]) }]);
  assert.deepEqual(
    [...b],
    [3, 0, 0, 0, ...Buffer.from('a/b'), 6, 0, 0, 0, ...Buffer.from('user.n'), 3, 0, 0, 0, 0, 10, 255],
  );
});
