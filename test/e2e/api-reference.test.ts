// The API reference is generated from the TSDoc by typedoc (`npm run docs` → docs/api/); here it is
// generated into a temp dir with warnings as errors, so a broken {@link}, a type the reference
// needs but the package does not export, or an undocumented export fails the suite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = join(import.meta.dirname, '..', '..');

test('typedoc builds the API reference from the TSDoc with no warning', { timeout: 300_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'gantry-api-docs-'));
  try {
    const r = spawnSync(
      process.execPath,
      [join(REPO, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', out, '--treatWarningsAsErrors'],
      { cwd: REPO, encoding: 'utf8', timeout: 280_000 },
    );
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.doesNotMatch(`${r.stdout}${r.stderr}`, /\[warning\]|\[error\]/);
    for (const page of ['functions/compose.html', 'interfaces/Environment.html', 'interfaces/ServiceHandle.html'])
      assert.ok(existsSync(join(out, page)), `${page} in the reference`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
