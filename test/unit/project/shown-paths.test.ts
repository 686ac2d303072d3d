// Error positions name files as the user gave them (`-f sub/compose.yaml` → `sub/compose.yaml:2:…`),
// as Docker Compose prints them; discovered files relative to the working directory. On 9d45363
// every position named the absolute path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadProject } from '../../../src/project/index.ts';

test('error paths are shown as the user gave them: relative stays relative', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-shown-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'compose.yaml'), 'services:\n  a: {image: x, restart: sometimes}\n');
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  a: {image: x, ports: ["1:2:3:4"]}\n');
  const opts = { envFiles: [], profiles: [], environment: {}, workingDir: dir };
  await assert.rejects(loadProject({ ...opts, files: ['sub/compose.yaml'] }), (e: Error) =>
    e.message.startsWith('sub/compose.yaml:2:'),
  );
  await assert.rejects(loadProject({ ...opts, files: ['./sub/compose.yaml'] }), (e: Error) =>
    e.message.startsWith('./sub/compose.yaml:2:'),
  );
  await assert.rejects(loadProject({ ...opts, files: [join(dir, 'sub', 'compose.yaml')] }), (e: Error) =>
    e.message.startsWith(`${dir}/sub/compose.yaml:2:`),
  );
  // Found by discovery: relative to the working directory.
  await assert.rejects(loadProject({ ...opts, files: [] }), (e: Error) => e.message.startsWith('compose.yaml:2:'));
});
