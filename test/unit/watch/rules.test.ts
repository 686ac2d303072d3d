// Which rule takes a changed path: under the rule's path, not ignored, included when include is
// set (patterns relative to the rule's path), not excluded by the build context's .dockerignore;
// the first rule of each service wins; targets keep the path below the rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProject } from '../../../src/project/index.ts';
import { compileRules, rulesFor } from '../../../src/watch/rules.ts';

test('rules: ignore, include, .dockerignore, file rules, first rule per service', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-watch-rules-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'api'));
  writeFileSync(join(dir, 'api', '.dockerignore'), 'secret.js\nnode_modules\n');
  writeFileSync(join(dir, 'app.conf'), '');
  const yaml = `services:
  web:
    image: b
    develop:
      watch:
        - { path: ./src, action: sync, target: /app, ignore: ["*.tmp", "cache/"] }
        - { path: ./src, action: rebuild }
        - { path: ./app.conf, action: sync+restart, target: /etc/app.conf }
  api:
    build: ./api
    develop:
      watch:
        - { path: ./api, action: sync, target: /srv, include: ["*.js"] }
`;
  const p = await loadProject({
    files: ['-'],
    envFiles: [],
    profiles: [],
    environment: {},
    workingDir: dir,
    projectName: 'demo',
    readStdin: async () => yaml,
  });
  const rules = await compileRules(p, []);
  const take = (rel: string) =>
    rulesFor(rules, join(dir, rel)).map(
      (r) => `${r.service}:${r.rule.action}:${r.rule.target ? r.targetOf(join(dir, rel)) : '-'}`,
    );
  assert.deepEqual(take('src/a/b.txt'), ['web:sync:/app/a/b.txt']);
  assert.deepEqual(take('src/x.tmp'), ['web:rebuild:-']); // the sync rule ignores it, the next rule takes it
  assert.deepEqual(take('src/cache/y'), ['web:rebuild:-']);
  assert.deepEqual(take('srcx/a.txt'), []);
  assert.deepEqual(take('app.conf'), ['web:sync+restart:/etc/app.conf']);
  assert.deepEqual(take('api/main.js'), ['api:sync:/srv/main.js']);
  assert.deepEqual(take('api/lib/deep.js'), []); // as .dockerignore: `*.js` does not cross a `/`
  assert.deepEqual(take('api/readme.md'), []);
  assert.deepEqual(take('api/secret.js'), []);
  assert.deepEqual(take('api/node_modules/m.js'), []);
  assert.deepEqual(
    (await compileRules(p, ['api'])).map((r) => r.service),
    ['api'],
  );
});
