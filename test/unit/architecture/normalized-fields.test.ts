// Normalize once (STYLE.md): the compose strings that name other things or need parsing — tmpfs,
// volumes_from, links, network_mode, ipc, pid — and the container names are typed fields of the
// model (`refs`, `container_names`). plan/ and engine/ read those; reading the raw strings there
// means parsing or spelling them again, which is what this test catches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src');
const RAW_FIELDS = ['tmpfs', 'volumes_from', 'links', 'network_mode', 'ipc', 'pid', 'container_name'];
// A service config is held as `svc`, `service`, or `services[...]` (optionally `!`).
const READ = new RegExp(String.raw`\b(?:svc|service|services\[[^\]]+\]!?)\??\.(${RAW_FIELDS.join('|')})\b`, 'g');

function* tsFiles(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* tsFiles(p);
    else if (e.name.endsWith('.ts')) yield p;
  }
}

test('plan/ and engine/ read the parsed refs and container_names, never the raw strings', () => {
  const found: string[] = [];
  for (const area of ['plan', 'engine']) {
    for (const file of tsFiles(join(SRC, area))) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const m of line.matchAll(READ)) found.push(`${relative(SRC, file)}:${i + 1}: ${m[0]}`);
        });
    }
  }
  assert.deepEqual(found, []);
});

test('the pattern sees the reads it is meant to catch', () => {
  const probe = 'svc.pid; svc.refs.pid; project.services[x]!.container_name; service?.tmpfs; process.pid';
  assert.deepEqual(
    [...probe.matchAll(READ)].map((m) => m[0]),
    ['svc.pid', 'services[x]!.container_name', 'service?.tmpfs'],
  );
});
