// Golden outputs of `kube generate`: each fixture's objects and warnings, byte for byte. Rewrite
// them with UPDATE_GOLDEN=1 after an intended change, and read the diff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate, renderAll } from '../../../src/kube/index.ts';
import { KUBE_FIXTURES, REPO, golden, loadFixture, portable } from '../../helpers/kube-fixtures.ts';
import type { GenerateOptions } from '../../../src/kube/index.ts';

const CASES: readonly { name: string; file: string; opts: GenerateOptions; out: string }[] = [
  {
    name: 'all-fields',
    file: join(KUBE_FIXTURES, 'all-fields/compose.yaml'),
    opts: {},
    out: join(KUBE_FIXTURES, 'all-fields/expected'),
  },
  {
    name: 'all-fields with options',
    file: join(KUBE_FIXTURES, 'all-fields/compose.yaml'),
    opts: {
      namespace: 'shop',
      serviceType: 'NodePort',
      ingressHost: 'shop.example',
      storageClass: 'fast',
      imageRegistry: 'registry.local:5000',
      secretsAsRefs: true,
    },
    out: join(KUBE_FIXTURES, 'all-fields/expected-options'),
  },
  {
    name: 'unmapped',
    file: join(KUBE_FIXTURES, 'unmapped/compose.yaml'),
    opts: {},
    out: join(KUBE_FIXTURES, 'unmapped/expected'),
  },
  {
    name: 'web-worker-kv',
    file: join(REPO, 'examples/web-worker-kv/compose.yaml'),
    opts: { allowHostpath: true },
    out: join(KUBE_FIXTURES, 'web-worker-kv/expected'),
  },
];

for (const c of CASES) {
  test(`kube generate ${c.name} matches its golden objects and warnings`, async () => {
    const out = generate(await loadFixture(c.file), c.opts);
    const yaml = portable(renderAll(out.objects, 'yaml'));
    const warnings = out.warnings.map((w) => `WARN: ${w}\n`).join('');
    if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(`${c.out}.yaml`)) {
      writeFileSync(`${c.out}.yaml`, yaml);
      writeFileSync(`${c.out}.warnings`, warnings);
    }
    assert.equal(yaml, golden(`${c.out}.yaml`));
    assert.equal(warnings, golden(`${c.out}.warnings`));
  });
}
