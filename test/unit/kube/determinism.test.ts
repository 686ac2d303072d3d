// Same project → same bytes: two loads, and the services/keys of the file in another order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { generate, renderAll } from '../../../src/kube/index.ts';
import { KUBE_FIXTURES, loadFixture } from '../../helpers/kube-fixtures.ts';

const reverseKeys = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .reverse()
        .map(([k, x]) => [k, reverseKeys(x)]),
    );
  return v;
};

test('kube generate gives the same bytes for the same project, whatever the order it is written in', async () => {
  const src = join(KUBE_FIXTURES, 'all-fields');
  const a = renderAll(generate(await loadFixture(join(src, 'compose.yaml'))).objects, 'yaml');
  const b = renderAll(generate(await loadFixture(join(src, 'compose.yaml'))).objects, 'yaml');
  assert.equal(a, b);
  const dir = mkdtempSync(join(tmpdir(), 'kube-order-'));
  cpSync(src, dir, { recursive: true });
  const doc = parse(readFileSync(join(src, 'compose.yaml'), 'utf8')) as unknown;
  writeFileSync(join(dir, 'compose.yaml'), stringify(reverseKeys(doc)));
  const c = renderAll(generate(await loadFixture(join(dir, 'compose.yaml'))).objects, 'yaml');
  assert.equal(c.replaceAll(dir, src), a);
  const json1 = renderAll(generate(await loadFixture(join(src, 'compose.yaml'))).objects, 'json');
  assert.equal(
    json1,
    renderAll(generate(await loadFixture(join(dir, 'compose.yaml'))).objects, 'json').replaceAll(dir, src),
  );
});
