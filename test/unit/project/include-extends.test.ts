// An included project with an explicit project_directory resolves its files' `extends.file` (and
// the extended service's relative paths) against that directory, as Compose does; without one,
// against the extending file's own directory. On 9d45363 the first case looked beside the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadProject } from '../../../src/project/index.ts';

function tree(t: { after: (f: () => void) => void }, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-include-extends-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const opts = (dir: string) => ({ files: [], envFiles: [], profiles: [], environment: {}, workingDir: dir });

test("an included file's extends.file resolves against the include's project_directory", async (t) => {
  const dir = tree(t, {
    'compose.yaml': 'include:\n  - path: parts/app.yaml\n    project_directory: app\n',
    'parts/app.yaml': 'services:\n  web:\n    extends: {file: base.yaml, service: base}\n',
    'app/base.yaml': 'services:\n  base:\n    image: from-app-dir\n    env_file: [base.env]\n',
    'app/base.env': 'WHERE=app\n',
    'parts/base.yaml': 'services:\n  base: {image: from-parts-dir}\n',
  });
  const p = await loadProject(opts(dir));
  assert.equal(p.services.web?.image, 'from-app-dir');
  assert.equal(p.services.web?.environment.WHERE, 'app');
});

test('without project_directory, extends.file stays relative to the extending file', async (t) => {
  const dir = tree(t, {
    'compose.yaml': 'include:\n  - parts/app.yaml\n',
    'parts/app.yaml': 'services:\n  web:\n    extends: {file: base.yaml, service: base}\n',
    'parts/base.yaml': 'services:\n  base: {image: from-parts-dir}\n',
  });
  const p = await loadProject(opts(dir));
  assert.equal(p.services.web?.image, 'from-parts-dir');
});
