// `-f -` with `extends: {file: ...}`: the file is found from the project directory (the working
// directory given to the loader), never from the process's own cwd — the Node API and the
// in-process CLI run with a workingDir that is not process.cwd().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProject } from '../../../src/project/index.ts';

test('stdin extends a file next to workingDir, not next to process.cwd()', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-stdin-extends-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'base.yaml'), 'services:\n  base: {image: busybox, environment: {FROM: base}}\n');
  assert.notEqual(process.cwd(), dir);
  const project = await loadProject({
    files: ['-'],
    envFiles: [],
    profiles: [],
    environment: {},
    workingDir: dir,
    projectName: 'p',
    readStdin: async () => 'services:\n  app:\n    extends: {file: base.yaml, service: base}\n',
  });
  assert.equal(project.services['app']?.environment['FROM'], 'base');
});
