// Secrets and configs as a service sees them: short and long syntax, sources file, environment
// (.env) and content, targets /run/secrets/NAME, /NAME or their own, mode and owner shown by
// stat, mounted read-only; a changed secret recreates the service; external ones are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { logsUntil } from '../helpers/logs-until.ts';

const IMG = 'gantry-test/busybox:latest';

const SHOW = [
  'for f in /run/secrets/token /run/secrets/custom_name /appconf /etc/inline.conf; do echo "$$f=$$(cat $$f) $$(stat -c "%a %u:%g" $$f)"; done',
  'echo changed > /run/secrets/token 2>/dev/null && echo token-writable || echo token-read-only',
  'echo changed > /appconf 2>/dev/null && echo config-writable || echo config-read-only',
  'echo shown; exec sleep 600',
].join('; ');

test(
  'a service reads its secrets and configs with their modes, read-only; a new secret recreates it',
  { timeout: 240_000 },
  async (t) => {
    const e = await e2eRoot((fn) => t.after(fn));
    const name = `e2e${process.pid}sec`;
    const dir = e.project(name, {
      'compose.yaml': `name: ${name}
services:
  app:
    image: ${IMG}
    init: true
    command: ["sh", "-c", ${JSON.stringify(SHOW)}]
    secrets:
      - token
      - {source: fromenv, target: custom_name, mode: 0400, uid: "1000", gid: "1001"}
    configs:
      - appconf
      - {source: inline, target: /etc/inline.conf, mode: 0640}
secrets:
  token: {file: ./token.txt}
  fromenv: {environment: MY_SECRET}
configs:
  appconf: {file: ./app.conf}
  inline: {content: "inline for \${COMPOSE_PROJECT_NAME}"}
`,
      '.env': 'MY_SECRET=from-the-env\n',
      'token.txt': 's3cret',
      'app.conf': 'port=80',
    });
    const up = await e.gantry(['up', '-d'], { cwd: dir });
    assert.equal(up.exitCode, 0, up.stderr);
    const out = await logsUntil(e, dir, 'app', (s) => s.includes('shown'));
    assert.match(out, /^\/run\/secrets\/token=s3cret 444 0:0$/m);
    assert.match(out, /^\/run\/secrets\/custom_name=from-the-env 400 1000:1001$/m);
    assert.match(out, /^\/appconf=port=80 444 0:0$/m);
    assert.match(out, new RegExp(`^/etc/inline.conf=inline for ${name} 640 0:0$`, 'm'));
    assert.match(out, /^token-read-only$/m);
    assert.match(out, /^config-read-only$/m);
    const files = join(e.root, 'projects', name, 'files');
    assert.equal(statSync(files).mode & 0o777, 0o700, 'the host copies are root-only');

    await t.test('unchanged: nothing to do; a changed secret file recreates the service', async () => {
      const same = await e.gantry(['up', '-d'], { cwd: dir });
      assert.doesNotMatch(same.stderr, /Recreate/);
      writeFileSync(join(dir, 'token.txt'), 'rotated');
      const again = await e.gantry(['up', '-d'], { cwd: dir });
      assert.equal(again.exitCode, 0, again.stderr);
      assert.match(again.stderr, new RegExp(`Container ${name}-app-1  Recreated`));
      assert.match(
        await logsUntil(e, dir, 'app', (s) => s.includes('token=rotated')),
        /^\/run\/secrets\/token=rotated 444 0:0$/m,
      );
    });

    await t.test('down removes the host copies', async () => {
      assert.equal((await e.gantry(['down', '-t', '1'], { cwd: dir })).exitCode, 0);
      assert.ok(!existsSync(join(files, `${name}-app-1`)));
    });
  },
);

test('external secrets and unset sources are refused before anything is created', { timeout: 120_000 }, async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}sex`;
  const compose = (secret: string): string => `name: ${name}
services:
  app: {image: ${IMG}, command: ["true"], secrets: [s]}
secrets:
  s: ${secret}
`;
  const dir = e.project(name, { 'compose.yaml': compose('{external: true}') });
  const ext = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(ext.exitCode, 1);
  assert.match(ext.stderr, /secret s: external secrets are not supported by gantry/);
  writeFileSync(join(dir, 'compose.yaml'), compose('{environment: GANTRY_TEST_UNSET_VAR}'));
  const unset = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(unset.exitCode, 1);
  assert.match(unset.stderr, /secret s: environment variable GANTRY_TEST_UNSET_VAR is not set/);
  writeFileSync(join(dir, 'compose.yaml'), compose('{file: ./missing.txt}'));
  const missing = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(missing.exitCode, 1);
  assert.match(missing.stderr, /secret s: cannot read .*missing\.txt: ENOENT/);
  assert.equal((await e.gantry(['ps', '-a', '-q'], { cwd: dir })).stdout, '');
});
