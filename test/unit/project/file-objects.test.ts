// Secret and config sources → bytes, and the config hash following their contents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProject } from '../../../src/project/index.ts';
import { fileObjectContent } from '../../../src/project/file-objects.ts';
import { serviceHash } from '../../../src/project/hash.ts';
import { ConfigError, UnsupportedError } from '../../../src/common/errors.ts';

const YAML = `
services:
  app: {image: busybox, secrets: [tok, {source: env, target: e, mode: 0440}], configs: [inline]}
  plain: {image: busybox}
secrets:
  tok: {file: ./tok.txt}
  env: {environment: TOKEN}
  ext: {external: true}
configs:
  inline: {content: "hello"}
`;

test('sources give their bytes; the hash follows a secret file content, not only its name', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-fo-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'tok.txt'), 'one');
  const load = () =>
    loadProject({
      files: ['-'],
      envFiles: [],
      profiles: [],
      environment: { TOKEN: 't0k' },
      workingDir: dir,
      projectName: 'demo',
      readStdin: async () => YAML,
    });
  const p = await load();
  assert.equal(fileObjectContent(p, 'secrets', 'tok').toString(), 'one');
  assert.equal(fileObjectContent(p, 'secrets', 'env').toString(), 't0k');
  assert.equal(fileObjectContent(p, 'configs', 'inline').toString(), 'hello');
  assert.throws(
    () => fileObjectContent(p, 'secrets', 'ext'),
    (e) => e instanceof UnsupportedError && /external secrets are not supported/.test(e.message),
  );
  assert.equal(p.services['app']!.secrets![1]!.mode, 0o440);
  const before = serviceHash(p.services['app']!, p);
  assert.equal(serviceHash(p.services['app']!, await load()), before, 'same content, same hash');
  assert.equal(
    serviceHash(p.services['plain']!, p),
    serviceHash(p.services['plain']!),
    'no files: the hash is the config alone',
  );
  writeFileSync(join(dir, 'tok.txt'), 'two');
  assert.notEqual(serviceHash(p.services['app']!, p), before);
  rmSync(join(dir, 'tok.txt'));
  assert.throws(
    () => fileObjectContent(p, 'secrets', 'tok'),
    (e) => e instanceof ConfigError && /secret tok: cannot read .*tok\.txt: ENOENT/.test(e.message),
  );
});
