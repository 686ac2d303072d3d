// Merge rules, table-driven over small documents (services.s.<attribute>), plus the unique-key
// de-duplication, `withoutPath` and position bookkeeping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeDocs, withoutPath } from '../../../src/project/merge.ts';
import { enforceUnique } from '../../../src/project/unique.ts';
import { getPos, positionLookup, setPos } from '../../../src/project/positions.ts';

const svc = (attrs: Record<string, unknown>) => ({ services: { s: attrs } });
const merged = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  (enforceUnique(mergeDocs(svc(a), svc(b))).services as Record<string, unknown>).s;

const CASES: ReadonlyArray<
  readonly [string, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>]
> = [
  ['scalars replaced, new keys added', { image: 'a', x: 1 }, { image: 'b', y: 2 }, { image: 'b', x: 1, y: 2 }],
  ['sequences appended', { security_opt: ['a'] }, { security_opt: ['b'] }, { security_opt: ['a', 'b'] }],
  ['command replaced', { command: ['a', 'b'] }, { command: ['c'] }, { command: ['c'] }],
  ['entrypoint replaced', { entrypoint: 'sh' }, { entrypoint: ['bash', '-c'] }, { entrypoint: ['bash', '-c'] }],
  [
    'healthcheck.test replaced',
    { healthcheck: { test: ['CMD', 'a'], retries: 3 } },
    { healthcheck: { test: 'b' } },
    { healthcheck: { test: 'b', retries: 3 } },
  ],
  [
    'environment list + map',
    { environment: ['A=1', 'B'] },
    { environment: { B: 2 } },
    { environment: { A: '1', B: 2 } },
  ],
  ['labels map + list', { labels: { a: '1' } }, { labels: ['a=2', 'b=3'] }, { labels: { a: '2', b: '3' } }],
  [
    'extra_hosts host:ip + host=ip',
    { extra_hosts: ['a:1.1.1.1', 'b=2.2.2.2'] },
    { extra_hosts: ['a=9.9.9.9'] },
    { extra_hosts: { a: '9.9.9.9', b: '2.2.2.2' } },
  ],
  ['sysctls', { sysctls: ['a=1'] }, { sysctls: { b: 2 } }, { sysctls: { a: '1', b: 2 } }],
  [
    'ulimits per name replaced',
    { ulimits: { nofile: { soft: 1, hard: 2 }, nproc: 5 } },
    { ulimits: { nofile: 10 } },
    { ulimits: { nofile: 10, nproc: 5 } },
  ],
  [
    'depends_on short + long',
    { depends_on: ['a'] },
    { depends_on: { b: { condition: 'service_healthy' } } },
    { depends_on: { a: { condition: 'service_started', required: true }, b: { condition: 'service_healthy' } } },
  ],
  [
    'networks list + map',
    { networks: ['a'] },
    { networks: { b: { aliases: ['x'] } } },
    { networks: { a: null, b: { aliases: ['x'] } } },
  ],
  ['build string + map', { build: '.' }, { build: { target: 'dev' } }, { build: { context: '.', target: 'dev' } }],
  [
    'logging same driver merged',
    { logging: { driver: 'x', options: { a: '1' } } },
    { logging: { options: { b: '2' } } },
    { logging: { driver: 'x', options: { a: '1', b: '2' } } },
  ],
  [
    'logging other driver replaced',
    { logging: { driver: 'x', options: { a: '1' } } },
    { logging: { driver: 'y' } },
    { logging: { driver: 'y' } },
  ],
  ['null does not remove', { image: 'a' }, { image: null }, { image: 'a' }],
  ['x- keys replaced whole', { 'x-a': { a: 1 } }, { 'x-a': { b: 2 } }, { 'x-a': { b: 2 } }],
  [
    'ports short and long with the same key',
    { ports: ['8080:80'] },
    { ports: [{ target: 80, published: 8080 }] },
    { ports: [{ target: 80, published: 8080 }] },
  ],
  [
    'ports differ by protocol and ip',
    { ports: ['80:80'] },
    { ports: ['80:80/udp', '127.0.0.1:80:80'] },
    { ports: ['80:80', '80:80/udp', '127.0.0.1:80:80'] },
  ],
  [
    'ports ipv6',
    { ports: ['[::1]:80:80'] },
    { ports: [{ host_ip: '::1', published: '80', target: 80 }] },
    { ports: [{ host_ip: '::1', published: '80', target: 80 }] },
  ],
  [
    'volumes by target',
    { volumes: ['a:/data', '/anon'] },
    { volumes: [{ type: 'volume', source: 'b', target: '/data' }, '/anon'] },
    { volumes: [{ type: 'volume', source: 'b', target: '/data' }, '/anon'] },
  ],
  [
    'secrets by target',
    { secrets: ['a', { source: 'b', target: '/x' }] },
    { secrets: [{ source: 'c', target: 'a' }] },
    {
      secrets: [
        { source: 'c', target: 'a' },
        { source: 'b', target: '/x' },
      ],
    },
  ],
  [
    'configs by target',
    { configs: ['a'] },
    { configs: [{ source: 'b', target: '/a' }] },
    { configs: [{ source: 'b', target: '/a' }] },
  ],
  ['expose de-duplicated', { expose: ['80', 81] }, { expose: [80, '82'] }, { expose: [80, 81, '82'] }],
  ['dns de-duplicated', { dns: ['1.1.1.1'] }, { dns: ['1.1.1.1', '8.8.8.8'] }, { dns: ['1.1.1.1', '8.8.8.8'] }],
  [
    'devices by target',
    { devices: ['/dev/a:/dev/x'] },
    { devices: ['/dev/b:/dev/x:r'] },
    { devices: ['/dev/b:/dev/x:r'] },
  ],
  [
    'env_file by path',
    { env_file: ['a.env'] },
    { env_file: [{ path: 'a.env', required: false }] },
    { env_file: [{ path: 'a.env', required: false }] },
  ],
];

for (const [name, a, b, expected] of CASES) test(`merge: ${name}`, () => assert.deepEqual(merged(a, b), expected));

test('merge: a mapping and a sequence at the same path is an error naming the path', () => {
  assert.throws(() => mergeDocs(svc({ volumes: ['a:/a'] }), svc({ volumes: { a: 1 } })), {
    message: 'services.s.volumes: cannot override a sequence with a value of another type',
  });
});

test('merge: inputs are not changed', () => {
  const a = svc({ ports: ['1:1'], environment: ['A=1'] });
  const b = svc({ ports: ['2:2'], environment: { B: '2' } });
  const before = JSON.stringify([a, b]);
  mergeDocs(a, b);
  assert.equal(JSON.stringify([a, b]), before);
});

test('merge: the later file position wins; appended items keep their own', () => {
  const a = svc({ image: 'a', ports: ['1:1'] });
  const b = svc({ image: 'b', ports: ['2:2'] });
  const pa = (line: number) => ({ file: 'a.yaml', line, col: 1 });
  const pb = (line: number) => ({ file: 'b.yaml', line, col: 1 });
  const sa = a.services.s as Record<string, unknown>;
  const sb = b.services.s as Record<string, unknown>;
  setPos(sa, 'image', pa(1));
  setPos(sa.ports as object, 0, pa(2));
  setPos(sb, 'image', pb(1));
  setPos(sb.ports as object, 0, pb(2));
  const at = positionLookup(mergeDocs(a, b));
  assert.deepEqual(at(['services', 's', 'image']), pb(1));
  assert.deepEqual(at(['services', 's', 'ports', 0]), pa(2));
  assert.deepEqual(at(['services', 's', 'ports', 1]), pb(2));
});

test('withoutPath removes one value and copies only along the path', () => {
  const doc = { services: { s: { a: 1, b: 2 }, t: { c: 3 } } };
  const out = withoutPath(doc, ['services', 's', 'a']);
  assert.deepEqual(out, { services: { s: { b: 2 }, t: { c: 3 } } });
  assert.equal((out.services as Record<string, unknown>).t, doc.services.t);
  assert.deepEqual(doc.services.s, { a: 1, b: 2 });
  assert.equal(withoutPath(doc, ['nope', 'x']), doc);
  assert.equal(getPos(out, 'services'), undefined);
});
