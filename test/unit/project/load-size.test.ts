// A compose file over the size limit is refused from its size, before it is read: a 1 GiB file
// (sparse) must not be read into memory (it would not even fit in a string).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRaw } from '../../../src/project/load-raw.ts';

test('a 1 GiB compose file is refused by its size, with the file named', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-load-size-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'compose.yaml');
  writeFileSync(file, 'services: {}\n');
  truncateSync(file, 1024 ** 3);
  await assert.rejects(
    loadRaw({ files: [file], environment: {}, workingDir: dir, envFiles: [], profiles: [] } as unknown as Parameters<
      typeof loadRaw
    >[0]),
    (e: Error) => {
      assert.equal(e.name, 'ConfigError');
      assert.equal(e.message, `${file}: file is too large (1073741824 bytes, limit 8388608)`);
      return true;
    },
  );
});
