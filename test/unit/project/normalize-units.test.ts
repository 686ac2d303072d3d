// Table-driven tests of the small parsers under normalize/ (durations, byte sizes, shell words)
// and of the config hash's stability and exclusions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, parseDuration } from '../../../src/project/normalize/durations.ts';
import { parseBytes } from '../../../src/common/bytes.ts';
import { splitShellWords } from '../../../src/project/normalize/command.ts';
import { canonicalJson, serviceHash } from '../../../src/project/hash.ts';
import type { ServiceConfig } from '../../../src/project/model.ts';

test('durations parse to milliseconds', () => {
  const cases: Array<[string, number | undefined]> = [
    ['1m30s', 90_000],
    ['10s', 10_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    ['2h3m4s5ms', 7_384_005],
    ['250us', 0.25],
    ['7ns', 0.000007],
    ['30', 30_000],
    ['0s', 0],
    ['', undefined],
    ['10 s', undefined],
    ['1d', undefined],
    ['s', undefined],
  ];
  for (const [text, ms] of cases) assert.equal(parseDuration(text), ms, text);
});

test('durations format back to the shortest Go-style text', () => {
  const cases: Array<[number, string]> = [
    [90_000, '1m30s'],
    [1500, '1.5s'],
    [500, '500ms'],
    [3_600_000, '1h'],
    [0, '0s'],
    [0.25, '250us'],
    [7_384_005, '2h3m4.005s'],
    [0.000007, '7ns'],
  ];
  for (const [ms, text] of cases) {
    assert.equal(formatDuration(ms), text, String(ms));
    assert.equal(parseDuration(text), ms, `round trip ${text}`);
  }
});

test('byte sizes parse as binary units', () => {
  const cases: Array<[string, number | undefined]> = [
    ['512m', 512 * 1024 ** 2],
    ['1g', 1024 ** 3],
    ['1.5G', 1.5 * 1024 ** 3],
    ['2GB', 2 * 1024 ** 3],
    ['256MiB', 256 * 1024 ** 2],
    ['100', 100],
    ['100b', 100],
    ['64k', 65_536],
    ['1t', 1024 ** 4],
    ['lots', undefined],
    ['-1', undefined],
    ['1x', undefined],
  ];
  for (const [text, n] of cases) assert.equal(parseBytes(text), n, text);
});

test('command strings split into words like a shell', () => {
  const cases: Array<[string, string[] | undefined]> = [
    ['echo hello  world', ['echo', 'hello', 'world']],
    [`sh -c 'a && b'`, ['sh', '-c', 'a && b']],
    ['echo "x \\"y\\" $z"', ['echo', 'x "y" $z']],
    ['a\\ b c', ['a b', 'c']],
    [`"" ''`, ['', '']],
    ['  ', []],
    ['echo "open', undefined],
    ["echo 'open", undefined],
  ];
  for (const [text, words] of cases) assert.deepEqual(splitShellWords(text), words, text);
});

const refs = { tmpfs: [], volumes_from: [], links: [] };
const base: ServiceConfig = {
  name: 'web',
  image: 'nginx',
  environment: { A: '1' },
  ports: [],
  volumes: [],
  depends_on: {},
  networks: { default: null },
  refs,
  container_names: ['demo-web-1'],
};

test('service hash is stable and ignores key order', () => {
  const reordered = {
    container_names: ['demo-web-1'],
    refs,
    networks: { default: null },
    depends_on: {},
    volumes: [],
    ports: [],
    environment: { A: '1' },
    image: 'nginx',
    name: 'web',
  } as ServiceConfig;
  assert.equal(serviceHash(base), serviceHash(reordered));
  assert.match(serviceHash(base), /^[0-9a-f]{64}$/);
  assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: null }] }), '{"a":[{"c":null,"d":2}],"b":1}');
});

test('service hash changes with what needs a new container, not with scaling or profiles', () => {
  const h = serviceHash(base);
  assert.notEqual(serviceHash({ ...base, image: 'nginx:2' }), h);
  assert.notEqual(serviceHash({ ...base, environment: { A: '2' } }), h);
  assert.notEqual(serviceHash({ ...base, deploy: { resources: { limits: { memory: 1 } } } }), h);
  assert.equal(serviceHash({ ...base, deploy: { replicas: 5 } }), h);
  assert.equal(serviceHash({ ...base, container_names: ['demo-web-1', 'demo-web-2'] }), h);
  assert.equal(serviceHash({ ...base, profiles: ['debug'] }), h);
  assert.equal(
    serviceHash({ ...base, depends_on: { db: { condition: 'service_started', required: true, restart: false } } }),
    h,
  );
  assert.equal(serviceHash({ ...base, pull_policy: 'always' }), h);
});
