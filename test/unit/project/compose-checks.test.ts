// Checks Docker Compose makes while loading that gantry lacked (issue 15, spec currency): each is
// one config error worded as Compose words it, at the file:line:col of the offending node; and
// what Compose accepts (provider services, driver secrets, provenance/sbom) loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadProject } from '../../../src/project/index.ts';
import type { Project } from '../../../src/project/model.ts';
import { toComposeDocument } from '../../../src/project/to-compose.ts';
import { stdinOptions } from '../../helpers/fixture-options.ts';

const load = (yaml: string): Promise<Project> => loadProject(stdinOptions(yaml));

async function fails(yaml: string, message: string): Promise<void> {
  await assert.rejects(load(yaml), (e: Error) => {
    assert.equal(e.message, message);
    return true;
  });
}

test('external networks and volumes take no driver, driver_opts or labels', async () => {
  await fails(
    'services: {a: {image: x}}\nnetworks:\n  n:\n    external: true\n    driver: bridge\n',
    '<stdin>:5:13: networks.n.driver: conflicting parameters "external" and "driver" specified',
  );
  await fails(
    'services: {a: {image: x}}\nvolumes:\n  v:\n    external: true\n    labels: {a: b}\n',
    '<stdin>:5:5: volumes.v.labels: conflicting parameters "external" and "labels" specified',
  );
  await fails(
    'services: {a: {image: x}}\nvolumes:\n  v: {external: true, driver_opts: {type: none}}\n',
    '<stdin>:3:23: volumes.v.driver_opts: conflicting parameters "external" and "driver_opts" specified',
  );
  const p = await load('services: {a: {image: x}}\nvolumes:\n  v: {external: true, name: real, x-note: 1}\n');
  assert.equal(p.volumes.v?.name, 'real');
});

test('name beside the old external.name is refused', async () => {
  await fails(
    'services: {a: {image: x}}\nnetworks:\n  n:\n    name: one\n    external:\n      name: two\n',
    '<stdin>:6:13: networks.n.external.name: network.external.name and network.name conflict; only use network.name',
  );
});

test('device requests: count is all or a number, and excludes device_ids', async () => {
  const dev = (body: string): string =>
    `services:\n  a:\n    image: x\n    deploy:\n      resources:\n        reservations:\n          devices:\n${body}`;
  await fails(
    dev('            - {capabilities: [gpu], count: 1, device_ids: ["0"]}\n'),
    '<stdin>:8:15: services.a.deploy.resources.reservations.devices[0]: "count" and "device_ids" attributes are exclusive',
  );
  await fails(
    dev('            - {capabilities: [gpu], count: some}\n'),
    `<stdin>:8:44: services.a.deploy.resources.reservations.devices[0].count: invalid value "some", the only value allowed is 'all' or a number`,
  );
  await fails(
    'services:\n  a:\n    image: x\n    gpus:\n      - {count: many}\n',
    `<stdin>:5:17: services.a.gpus[0].count: invalid value "many", the only value allowed is 'all' or a number`,
  );
  for (const count of ['all', 'ALL', '2', '3'])
    await load(dev(`            - {capabilities: [gpu], count: ${count}}\n`));
  await load(dev('            - {driver: nvidia, capabilities: [gpu], device_ids: ["0"]}\n'));
});

test('an empty compose file is an error', async () => {
  await fails('', '<stdin>:1:1: empty compose file');
  await fails('# only a comment\n', '<stdin>:1:1: empty compose file');
});

test('ipc and pid service:X must name a defined service, and are dependencies, shown by config', async () => {
  await fails(
    'services:\n  a: {image: x, ipc: "service:ghost"}\n',
    '<stdin>:2:22: services.a.ipc: refers to undefined service "ghost"',
  );
  await fails(
    'services:\n  a: {image: x, pid: "service:ghost"}\n',
    '<stdin>:2:22: services.a.pid: refers to undefined service "ghost"',
  );
  const p = await load(
    'services:\n  db: {image: x}\n  a: {image: x, ipc: "service:db", pid: "service:db", links: [db]}\n' +
      '  b: {image: x, network_mode: "service:a", volumes_from: [db], depends_on: {db: {condition: service_healthy}}}\n',
  );
  const doc = toComposeDocument(p) as { services: Record<string, { depends_on?: unknown }> };
  assert.deepEqual(doc.services.a!.depends_on, { db: { condition: 'service_started', required: true, restart: true } });
  assert.deepEqual(doc.services.b!.depends_on, {
    a: { condition: 'service_started', required: true, restart: true },
    db: { condition: 'service_healthy', required: true, restart: false },
  });
});

test('a dependency cycle through ipc is named as a cycle', async () => {
  await fails(
    'services:\n  a: {image: x, ipc: "service:b"}\n  b: {image: x, pid: "service:a"}\n',
    '<stdin>:2:22: services.a.ipc: dependency cycle: a -> b -> a',
  );
});

test('environment names with spaces around them are refused', async () => {
  await fails(
    'services:\n  a:\n    image: x\n    environment:\n      - DEBUG = true\n',
    '<stdin>:5:9: services.a.environment[0]: environment variable name "DEBUG " cannot contain a space',
  );
  await fails(
    'services:\n  a:\n    image: x\n    environment:\n      " FOO": bar\n',
    '<stdin>:5:15: services.a.environment. FOO: environment variable name " FOO" cannot contain a space',
  );
});

test('a cycle through YAML merge keys is named as a cycle', async () => {
  await fails(
    'x-base: &base\n  image: x\n  <<: *base\nservices:\n  a: *base\n',
    '<stdin>:3:7: cycle through anchor "base": its value contains itself',
  );
});

test('a short port syntax host IP must be an IP address', async () => {
  await fails(
    'services:\n  a: {image: x, ports: ["80:80:80:80"]}\n',
    '<stdin>:2:25: services.a.ports[0]: invalid IP address: 80:80',
  );
  await fails(
    'services:\n  a:\n    image: x\n    ports: [{target: 80, published: "8080", host_ip: localhost}]\n',
    '<stdin>:4:54: services.a.ports[0].host_ip: invalid ip address: localhost',
  );
  const p = await load('services:\n  a: {image: x, ports: ["127.0.0.1:80:80", "[::1]:81:81", "::1:82:82"]}\n');
  assert.deepEqual(
    p.services.a!.ports.map((x) => x.host_ip),
    ['127.0.0.1', '::1', '::1'],
  );
});

test('a provider service loads without an image; config shows it; it is flagged for up to refuse', async () => {
  const p = await load(
    'services:\n  db:\n    provider:\n      type: awesomecloud\n      options: {type: mysql}\n  web: {image: x, depends_on: [db]}\n',
  );
  const doc = toComposeDocument(p) as { services: Record<string, Record<string, unknown>> };
  assert.deepEqual(doc.services.db, {
    networks: { default: null },
    provider: { type: 'awesomecloud', options: { type: 'mysql' } },
  });
  assert.deepEqual(
    p.warnings.filter((w) => w.includes('provider')),
    [
      'services.db.provider: service "db" is run by the "awesomecloud" provider, a Docker Compose plugin gantry does not run',
    ],
  );
});

test('a secret with a driver needs no file; without one, a source is required', async () => {
  const p = await load(
    'services: {a: {image: x, secrets: [s]}}\nsecrets:\n  s: {driver: vault, driver_opts: {path: kv/s}}\n',
  );
  assert.equal(p.secrets.s?.driver, 'vault');
  assert.deepEqual(p.warnings, []);
  await fails(
    'services: {a: {image: x}}\nsecrets:\n  s: {labels: {a: b}}\n',
    '<stdin>:3:3: secrets.s: must set exactly one of file, environment or external',
  );
});

test('build provenance and sbom of the current spec load; only a request for attestations is warned', async () => {
  const p = await load(
    'services:\n  a: {build: {context: ., provenance: false, sbom: true}}\n  b: {build: {context: ., provenance: "mode=max"}}\n',
  );
  assert.deepEqual(p.warnings, [
    "services.a.build.sbom: not applied: gantry's builder makes no attestations",
    "services.b.build.provenance: not applied: gantry's builder makes no attestations",
  ]);
  assert.deepEqual(p.unsupported, []);
});

test('mapping keys must be strings, as compose-go reads them', async () => {
  await fails(
    'services:\n  a:\n    image: x\n    environment:\n      1: one\n',
    '<stdin>:5:7: non-string key in services.a.environment: 1',
  );
  await fails('true: x\nservices: {a: {image: x}}\n', '<stdin>:1:1: non-string key at top level: true');
  const p = await load('services:\n  a:\n    image: x\n    environment:\n      "1": one\n');
  assert.equal(p.services.a!.environment['1'], 'one');
});
