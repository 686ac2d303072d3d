// The normalized model carries the parsed forms of the string fields that name other things
// (tmpfs, volumes_from, links, network_mode / ipc / pid): plan/ and engine/ read these, and a
// malformed entry fails the load at its file:line:col instead of at `up`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inlineProject } from '../../helpers/inline-project.ts';
import type { Project } from '../../../src/project/model.ts';
import { serviceHash } from '../../../src/project/hash.ts';
import { ConfigError } from '../../../src/common/errors.ts';

const project = (yaml: string): Promise<Project> => inlineProject(yaml);

const STACK = `services:
  db: {image: busybox, container_name: the-db, ipc: shareable, pid: host}
  cache: {image: busybox, network_mode: "service:db", volumes_from: ["db:ro", "container:other", "service:db:rw"]}
  web:
    image: busybox
    links: [db, "cache:memo"]
    network_mode: none
    tmpfs: ["/run:size=64m,mode=1777", "/scratch:size=2097152", /tmp]
`;

test('tmpfs, volumes_from, links and namespace references are typed fields of the model', async () => {
  const p = await project(STACK);
  const { db, cache, web } = p.services;
  assert.deepEqual(web!.refs.tmpfs, [
    { target: '/run', size: 64 * 1024 * 1024, mode: 0o1777 },
    { target: '/scratch', size: 2097152 },
    { target: '/tmp' },
  ]);
  assert.deepEqual(web!.refs.links, [
    { service: 'db', alias: 'db' },
    { service: 'cache', alias: 'memo' },
  ]);
  assert.deepEqual(web!.refs.network_mode, { kind: 'mode', name: 'none' });
  assert.deepEqual(cache!.refs.network_mode, { kind: 'service', name: 'db' });
  assert.deepEqual(cache!.refs.volumes_from, [
    { kind: 'service', name: 'db', readOnly: true },
    { kind: 'container', name: 'other', readOnly: false },
    { kind: 'service', name: 'db', readOnly: false },
  ]);
  assert.deepEqual(
    [db!.refs.ipc, db!.refs.pid],
    [
      { kind: 'mode', name: 'shareable' },
      { kind: 'mode', name: 'host' },
    ],
  );
  assert.equal(db!.container_name, 'the-db');
});

test('the parsed forms are not hashed twice and not printed by config', async () => {
  const p = await project(STACK);
  const web = p.services['web']!;
  assert.equal(serviceHash({ ...web, refs: { tmpfs: [], volumes_from: [], links: [] } }), serviceHash(web));
  const { toComposeDocument } = await import('../../../src/project/to-compose.ts');
  assert.doesNotMatch(JSON.stringify(toComposeDocument(p)), /"refs"/);
});

test('an unknown tmpfs option or a malformed volumes_from fails the load, naming the entry', async () => {
  for (const [yaml, where] of [
    ['services:\n  a: {image: busybox, tmpfs: ["/run:size=1m,uid=0"]}\n', /services\.a\.tmpfs.*option "uid=0"/],
    [
      'services:\n  a: {image: busybox, volumes_from: ["b:rx"]}\n  b: {image: busybox}\n',
      /services\.a\.volumes_from.*NAME\[:ro\|rw\]/,
    ],
  ] as const) {
    await assert.rejects(project(yaml), (e: unknown) => e instanceof ConfigError && where.test(e.message), yaml);
  }
});
