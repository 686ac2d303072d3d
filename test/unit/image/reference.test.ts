// Reference normalization, table-driven against what `docker pull` does with each form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReference, familiarName } from '../../../src/image/index.ts';

const D = `sha256:${'a'.repeat(64)}`;
const cases: [string, string, Partial<{ domain: string; path: string; tag: string; digest: string }>][] = [
  ['busybox', 'docker.io/library/busybox:latest', { domain: 'docker.io', path: 'library/busybox', tag: 'latest' }],
  ['busybox:1.36', 'docker.io/library/busybox:1.36', { tag: '1.36' }],
  ['library/busybox', 'docker.io/library/busybox:latest', {}],
  ['user/app', 'docker.io/user/app:latest', { path: 'user/app' }],
  ['docker.io/busybox', 'docker.io/library/busybox:latest', {}],
  ['index.docker.io/busybox', 'docker.io/library/busybox:latest', { domain: 'docker.io' }],
  ['localhost/app', 'localhost/app:latest', { domain: 'localhost', path: 'app' }],
  ['localhost:5000/a/b:v1', 'localhost:5000/a/b:v1', { domain: 'localhost:5000', path: 'a/b' }],
  ['127.0.0.1:5000/app', '127.0.0.1:5000/app:latest', { domain: '127.0.0.1:5000' }],
  ['ghcr.io/org/app:1.0', 'ghcr.io/org/app:1.0', { domain: 'ghcr.io', path: 'org/app' }],
  ['Example/app', 'Example/app:latest', { domain: 'Example' }],
  [`busybox@${D}`, `docker.io/library/busybox@${D}`, { digest: D }],
  [`busybox:1.36@${D}`, `docker.io/library/busybox@${D}`, { tag: '1.36', digest: D }],
  ['reg:5000/a_b/c__d/e-f.g:T_1', 'reg:5000/a_b/c__d/e-f.g:T_1', {}],
  ['[::1]:5000/app', '[::1]:5000/app:latest', { domain: '[::1]:5000' }],
];

for (const [input, normalized, parts] of cases) {
  test(`${input} → ${normalized}`, () => {
    const r = parseReference(input);
    assert.equal(r.normalized, normalized);
    for (const [k, v] of Object.entries(parts)) assert.equal(r[k as keyof typeof r], v, k);
  });
}

const invalid: [string, RegExp][] = [
  ['', /empty/],
  ['Busybox', /lowercase/],
  ['docker.io/User/app', /lowercase/],
  ['a'.repeat(64), /64-byte hexadecimal/],
  ['busybox:', /bad tag/],
  [`busybox:${'x'.repeat(129)}`, /bad tag/],
  ['busybox@sha256:abc', /bad (sha256 )?digest/],
  ['bad_/app', /bad path component/],
  ['a//b', /bad path component/],
  ['-app', /bad path component/],
  [':tag', /missing repository/],
];
for (const [input, why] of invalid) {
  test(`invalid: "${input.slice(0, 30)}"`, () => {
    assert.throws(
      () => parseReference(input),
      (e: Error) => e.name === 'UsageError' && why.test(e.message) && e.message.includes('invalid image reference'),
    );
  });
}

test('familiar names drop docker.io and library/', () => {
  assert.equal(familiarName('docker.io/library/busybox:latest'), 'busybox:latest');
  assert.equal(familiarName('docker.io/user/app:1'), 'user/app:1');
  assert.equal(familiarName('ghcr.io/library/x:1'), 'ghcr.io/library/x:1');
});
