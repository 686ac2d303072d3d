// common/lazy-crypto.ts: a hash of up to 4 KB is made in plain JavaScript, with node:crypto's digest
// and without loading it (a `container run --rm` hashes ≈ 1.5 KB: issue 20, bench/RESULTS.md "run12");
// past 4 KB, in pieces or whole, node:crypto takes over. On acba6ea every hash called createHash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto, { createHash } from 'node:crypto';
import { randomHex, sha256 } from '../../../src/common/lazy-crypto.ts';

const LENGTHS = [0, 1, 55, 56, 63, 64, 65, 119, 120, 702, 4095, 4096, 4097, 70_000];
const data = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 131 + n) & 0xff));
const expected = (d: Buffer | string): string => createHash('sha256').update(d).digest('hex');

test('the digests are sha256: whole, in pieces, strings as UTF-8, hex or bytes', () => {
  for (const n of LENGTHS) {
    const d = data(n);
    assert.equal(sha256().update(d).digest('hex'), expected(d), `${n} bytes`);
    const third = Math.floor(n / 3);
    const pieces = sha256()
      .update(d.subarray(0, third))
      .update(d.subarray(third, 2 * third));
    assert.deepEqual(pieces.update(d.subarray(2 * third)).digest(), createHash('sha256').update(d).digest());
  }
  for (const s of ['', 'gantry', 'grüße, 日本 🐳', 'x'.repeat(5000)])
    assert.equal(sha256().update(s).digest('hex'), expected(s));
});

test('up to 4 KB no node:crypto hash is made; past it, one', (t) => {
  const hashes = t.mock.method(crypto, 'createHash');
  t.after(() => t.mock.restoreAll());
  sha256().update('a name').digest('hex');
  sha256().update(data(2000)).update(data(2096)).digest('hex');
  assert.equal(hashes.mock.callCount(), 0, '4,096 bytes: plain JavaScript');
  sha256().update(data(4000)).update(data(97)).digest('hex');
  sha256().update(data(70_000)).digest();
  assert.equal(hashes.mock.callCount(), 2, 'past 4,096 bytes: node:crypto, once per hash');
});

test('random suffixes come from /dev/urandom, not node:crypto: hex of the asked length, none repeated', (t) => {
  const draws = t.mock.method(crypto, 'randomBytes');
  t.after(() => t.mock.restoreAll());
  const seen = new Set<string>();
  // 8 bytes as veth names take them, past the 256-byte pool several times; then one longer than the pool
  for (let i = 0; i < 100; i++) {
    const h = randomHex(8);
    assert.match(h, /^[0-9a-f]{16}$/);
    seen.add(h);
  }
  assert.equal(seen.size, 100, 'a suffix repeated');
  assert.match(randomHex(300), /^[0-9a-f]{600}$/);
  assert.match(randomHex(3), /^[0-9a-f]{6}$/);
  assert.equal(draws.mock.callCount(), 0, 'node:crypto drew them (3339708: once per suffix)');
});
