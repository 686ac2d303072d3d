// Spec currency from the CLI (issue 15): `provider:` services load and show in `config`, and `up`
// refuses them in one line naming the service; a host port published by two services is a warning
// at `config` and an error only at an `up` that starts both; Compose's load checks are one-line
// config errors at file:line:col. On 9d45363 the provider service and the port clash failed
// `config`, and the "80:80:80:80" port loaded as host IP 80:80.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { e2eRoot } from '../helpers/engine-e2e.ts';

const IMG = 'gantry-test/busybox:latest';

test('a provider service: config shows it, up refuses it naming the service', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}provider`;
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}\nservices:\n  db:\n    provider:\n      type: awesomecloud\n      options: {type: mysql}\n  web: {image: ${IMG}, depends_on: [db]}\n`,
  });
  const cfg = await e.gantry(['config'], { cwd: dir });
  assert.equal(cfg.exitCode, 0, cfg.stderr);
  const doc = parse(cfg.stdout) as { services: Record<string, unknown> };
  assert.deepEqual(doc.services.db, {
    networks: { default: null },
    provider: { type: 'awesomecloud', options: { type: 'mysql' } },
  });
  assert.match(cfg.stderr, /services\.db\.provider: service "db" is run by the "awesomecloud" provider/);
  const up = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(up.exitCode, 1);
  assert.equal(
    up.stderr.trim().split('\n').at(-1),
    `services.db.provider: service "db" is run by the "awesomecloud" provider, a Docker Compose plugin gantry does not run`,
  );
});

test('one host port in two services: a warning at config, an error at up of both', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}ports`;
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}\nservices:\n  a: {image: ${IMG}, ports: ["18080:80"]}\n  b: {image: ${IMG}, ports: ["18080:80"]}\n`,
  });
  const cfg = await e.gantry(['config', '-q'], { cwd: dir });
  assert.equal(cfg.exitCode, 0, cfg.stderr);
  assert.match(cfg.stderr, /services\.b\.ports\[0\]: host port 18080\/tcp is also published by service "a"/);
  const up = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(up.exitCode, 1);
  assert.match(up.stderr, /services\.b\.ports: host port 18080\/tcp is already published by service "a"/);
});

test("Compose's load checks are one-line config errors with file:line:col", async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}checks`;
  const dir = e.project(name, { 'compose.yaml': '' });
  const cases: [string, RegExp][] = [
    [
      `services:\n  a: {image: ${IMG}, ports: ["80:80:80:80"]}\n`,
      /compose\.yaml:2:\d+: services\.a\.ports\[0\]: invalid IP address: 80:80$/,
    ],
    ['', /compose\.yaml:1:1: empty compose file$/],
    [
      `services:\n  a: {image: ${IMG}}\nvolumes:\n  v: {external: true, driver: local}\n`,
      /compose\.yaml:4:\d+: volumes\.v\.driver: conflicting parameters "external" and "driver" specified$/,
    ],
    [
      `services:\n  a: {image: ${IMG}, pid: "service:nope"}\n`,
      /compose\.yaml:2:\d+: services\.a\.pid: refers to undefined service "nope"$/,
    ],
  ];
  for (const [yaml, want] of cases) {
    writeFileSync(join(dir, 'compose.yaml'), yaml);
    const r = await e.gantry(['config', '-q'], { cwd: dir });
    assert.equal(r.exitCode, 1, yaml);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr.trim(), want);
  }
});
