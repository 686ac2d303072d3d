// `config --variables --format json|yaml` prints what Compose prints for its variables map
// (compose-go Variable fields); without --format it stays the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGantry } from '../helpers/cli.ts';

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent' };

test('config --variables --format json is the Compose map of Name/DefaultValue/PresenceValue/Required', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-vars-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, 'compose.yaml'),
    'services:\n  web:\n    image: "nginx:${TAG:-1.27}"\n    ports: ["${PORT:?set PORT}:80"]\n' +
      '    environment: {MODE: "${MODE:+on}", PLAIN: $PLAIN}\n',
  );
  const json = await runGantry(['config', '--variables', '--format', 'json'], { cwd: dir, env });
  assert.equal(json.exitCode, 0, json.stderr);
  const entry = (Name: string, DefaultValue: string, PresenceValue: string, Required: boolean) => ({
    Name,
    DefaultValue,
    PresenceValue,
    Required,
  });
  assert.deepEqual(JSON.parse(json.stdout), {
    MODE: entry('MODE', '', 'on', false),
    PLAIN: entry('PLAIN', '', '', false),
    PORT: entry('PORT', '', '', true),
    TAG: entry('TAG', '1.27', '', false),
  });
  // Go's encoder: 4-space indent, keys sorted, its newline plus Println's.
  assert.ok(json.stdout.startsWith('{\n    "MODE": {\n        "Name": "MODE",\n'), json.stdout);
  assert.ok(json.stdout.endsWith('}\n\n'), JSON.stringify(json.stdout.slice(-10)));
  const yaml = await runGantry(['compose', 'config', '--variables', '--format', 'yaml'], { cwd: dir, env });
  assert.equal(yaml.exitCode, 0, yaml.stderr);
  assert.match(
    yaml.stdout,
    /^TAG:\n {4}name: TAG\n {4}defaultvalue: "?1\.27"?\n {4}presencevalue: ""\n {4}required: false\n/m,
  );
  const table = await runGantry(['config', '--variables'], { cwd: dir, env });
  assert.match(table.stdout, /^NAME {3,}REQUIRED {3,}DEFAULT VALUE {3,}ALTERNATE VALUE\n/);
  const doc = await runGantry(['config'], { cwd: dir, env: { ...env, PORT: '8080' } });
  assert.match(doc.stdout, /^name: gantry-vars-/, 'the document still defaults to yaml');
});
