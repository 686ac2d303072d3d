// Pure pieces of the registry client: WWW-Authenticate parsing, platform choice, mirror and
// insecure-registry settings, image config translation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChallenge } from '../../../src/image/pull/auth.ts';
import { selectPlatform, type Index } from '../../../src/image/manifest.ts';
import { endpointsFor, isLoopbackHost, registrySettings } from '../../../src/image/pull/registry-config.ts';
import { toImageConfig } from '../../../src/image/image-config.ts';

test('Bearer challenge with quoted, escaped and bare params', () => {
  const c = parseChallenge(
    'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull",error=insufficient_scope,x="a\\"b"',
  );
  assert.equal(c.scheme, 'bearer');
  assert.deepEqual(c.params, {
    realm: 'https://auth.docker.io/token',
    service: 'registry.docker.io',
    scope: 'repository:library/busybox:pull',
    error: 'insufficient_scope',
    x: 'a"b',
  });
  assert.deepEqual(parseChallenge('Basic realm="Registry Realm"'), {
    scheme: 'basic',
    params: { realm: 'Registry Realm' },
  });
});

const idx = (plats: [string, string, string?][]): Index => ({
  schemaVersion: 2,
  manifests: plats.map(([os, architecture, variant], i) => ({
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: `sha256:${String(i).repeat(64)}`,
    size: 1,
    platform: { os, architecture, ...(variant ? { variant } : {}) },
  })),
});

test('platform selection: exact variant, then a variant-less match, else a clear error', () => {
  const i = idx([
    ['linux', 'arm', 'v6'],
    ['linux', 'arm', 'v7'],
    ['linux', 'arm64', 'v8'],
    ['linux', 'amd64'],
    ['windows', 'amd64'],
  ]);
  assert.equal(
    selectPlatform(i, { os: 'linux', architecture: 'arm', variant: 'v7' }, 'x').digest,
    i.manifests[1]!.digest,
  );
  assert.equal(selectPlatform(i, { os: 'linux', architecture: 'amd64' }, 'x').digest, i.manifests[3]!.digest);
  assert.equal(
    selectPlatform(idx([['linux', 'arm64']]), { os: 'linux', architecture: 'arm64', variant: 'v8' }, 'x').digest,
    `sha256:${'0'.repeat(64)}`,
  );
  assert.throws(
    () => selectPlatform(i, { os: 'linux', architecture: 's390x' }, 'pull x'),
    /pull x: no image for platform linux\/s390x \(has: linux\/arm\/v6, /,
  );
});

test('loopback registries are plain HTTP, others HTTPS unless configured insecure; mirrors go first', () => {
  for (const h of ['localhost:5000', '127.0.0.1:5000', '127.1.2.3', '[::1]:5000']) assert.ok(isLoopbackHost(h), h);
  for (const h of ['example.com', '10.0.0.1:5000', 'localhost.example.com']) assert.ok(!isLoopbackHost(h), h);
  const s = registrySettings({
    GANTRY_CONFIG: '/nonexistent',
    GANTRY_INSECURE_REGISTRIES: 'reg.lan:5000',
    GANTRY_REGISTRY_MIRRORS: 'docker.io=http://127.0.0.1:5001/',
  });
  assert.deepEqual(endpointsFor('reg.lan:5000', 'reg.lan:5000', s), ['http://reg.lan:5000']);
  assert.deepEqual(endpointsFor('ghcr.io', 'ghcr.io', s), ['https://ghcr.io']);
  assert.deepEqual(endpointsFor('docker.io', 'registry-1.docker.io', s), [
    'http://127.0.0.1:5001',
    'https://registry-1.docker.io',
  ]);
  assert.throws(
    () => registrySettings({ GANTRY_CONFIG: '/nonexistent', GANTRY_REGISTRY_MIRRORS: 'nope' }),
    /registry=url/,
  );
});

test('image config: Docker fields → ImageConfig, empty ones left out', () => {
  const c = toImageConfig({
    Env: ['A=1'],
    Cmd: ['sh', '-c', 'x'],
    Entrypoint: null,
    WorkingDir: '',
    User: '1000:1000',
    ExposedPorts: { '80/tcp': {}, '53/udp': {} },
    Volumes: { '/data': {} },
    StopSignal: 'SIGQUIT',
    Healthcheck: { Test: ['CMD', 'true'], Interval: 5e9, Timeout: 0, StartPeriod: 1e9 },
    Labels: { a: 'b' },
  });
  assert.deepEqual(c, {
    env: ['A=1'],
    cmd: ['sh', '-c', 'x'],
    user: '1000:1000',
    exposedPorts: ['80/tcp', '53/udp'],
    volumes: ['/data'],
    healthcheck: { test: ['CMD', 'true'], intervalNs: 5e9, startPeriodNs: 1e9 },
    stopSignal: 'SIGQUIT',
    labels: { a: 'b' },
  });
  assert.deepEqual(toImageConfig(undefined), { env: [], exposedPorts: [], volumes: [], labels: {} });
});
