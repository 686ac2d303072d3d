// Transport behaviour against a real registry behind test proxies: resume after a dropped
// connection, redirects to "blob storage" without the Authorization header, mirrors, credential
// helpers, and a puller killed mid-download (no half blob; its stale locks are taken over).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openImageStore } from '../../../src/image/index.ts';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { startRegistryProxy } from '../../helpers/registry-proxy.ts';
import { ensureTestImages, type TestImages } from '../../helpers/test-images.ts';

let reg: TestRegistry;
let imgs: TestImages;
const dir = mkdtempSync(join(tmpdir(), `gantry-transport-${process.pid}-`));
const root = (): string => mkdtempSync(join(dir, 'root-'));
const REPO = 'gantry-test/busybox';
const saved = { ...process.env };

before(async () => {
  imgs = ensureTestImages();
  reg = await startRegistry();
  await reg.push(`oci:${imgs.ociLayout}:latest`, `${REPO}:latest`);
});
after(async () => {
  process.env = saved;
  await reg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a connection dropped mid-blob is retried and resumed with Range', async (t) => {
  const proxy = await startRegistryProxy(reg.host, { dropBlobAfter: 100_000 });
  t.after(() => proxy.close());
  const retries: string[] = [];
  const img = await openImageStore(root()).pull(`${proxy.host}/${REPO}:latest`, {
    onProgress: (e) => void (e.kind === 'layer-retry' && retries.push(e.digest)),
  });
  assert.equal(img.id, imgs.configDigest);
  assert.ok(retries.length >= 1, 'the big layer was retried');
});

test('redirects to blob storage drop the Authorization header', async (t) => {
  const storage = await startRegistryProxy(reg.host);
  t.after(() => storage.close());
  const front = await startRegistryProxy(reg.host, { bearer: {}, redirectBlobsTo: storage.host });
  t.after(() => front.close());
  const img = await openImageStore(root()).pull(`${front.host}/${REPO}:latest`);
  assert.equal(img.id, imgs.configDigest);
  assert.ok(
    front.authHeaders.some((h) => h?.startsWith('Bearer ')),
    'the registry got the token',
  );
  assert.ok(storage.authHeaders.length >= 3, 'blobs came from the storage host');
  assert.deepEqual(
    storage.authHeaders.filter((h) => h !== undefined),
    [],
    'no credentials leaked to storage',
  );
});

test('mirrors are tried before the registry', async (t) => {
  const mirror = await startRegistryProxy(reg.host);
  t.after(() => mirror.close());
  // The "real" registry is a dead loopback port: only the mirror can answer.
  process.env['GANTRY_REGISTRY_MIRRORS'] = `127.0.0.1:9=http://${mirror.host}`;
  t.after(() => delete process.env['GANTRY_REGISTRY_MIRRORS']);
  const img = await openImageStore(root()).pull(`127.0.0.1:9/${REPO}:latest`);
  assert.equal(img.id, imgs.configDigest);
  assert.deepEqual(img.references, [`127.0.0.1:9/${REPO}:latest`]);
  assert.ok((mirror.hits.get(`GET /v2/${REPO}/manifests/latest`) ?? 0) >= 1);
});

test('credentials from a docker-credential helper (credHelpers)', async (t) => {
  const authReg = await startRegistry({ auth: 'htpasswd' });
  t.after(() => authReg.stop());
  await authReg.push(`oci:${imgs.ociLayout}:latest`, `${REPO}:latest`);
  const bin = mkdtempSync(join(dir, 'bin-'));
  const { username, password } = authReg.creds!;
  writeFileSync(
    join(bin, 'docker-credential-gantrytest'),
    `#!/bin/sh\nread server\n[ "$1" = get ] && [ "$server" = "${authReg.host}" ] && echo '{"Username":"${username}","Secret":"${password}"}'\n`,
  );
  chmodSync(join(bin, 'docker-credential-gantrytest'), 0o755);
  const cfg = mkdtempSync(join(dir, 'cfg-'));
  writeFileSync(join(cfg, 'config.json'), JSON.stringify({ credHelpers: { [authReg.host]: 'gantrytest' } }));
  process.env['DOCKER_CONFIG'] = cfg;
  process.env['PATH'] = `${bin}:${saved['PATH'] ?? ''}`;
  t.after(() => {
    process.env['PATH'] = saved['PATH'];
    delete process.env['DOCKER_CONFIG'];
  });
  const img = await openImageStore(root()).pull(`${authReg.host}/${REPO}:latest`);
  assert.equal(img.id, imgs.configDigest);
});

test('a pull killed mid-download leaves no half blob, and the next pull takes over its locks', async (t) => {
  const stall = await startRegistryProxy(reg.host, { stallBlobAfter: 50_000 });
  t.after(() => stall.close());
  const r = root();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(import.meta.dirname, '../../helpers/image-pull-child.ts'),
      r,
      `${stall.host}/${REPO}:latest`,
    ],
    { stdio: 'ignore' },
  );
  t.after(() => void (child.exitCode === null && child.kill('SIGKILL')));
  for (
    let i = 0;
    i < 400 && ![...stall.hits.keys()].some((k) => k.includes('/blobs/') && !k.includes(imgs.configDigest));
    i++
  )
    await sleep(25);
  await sleep(300);
  child.kill('SIGKILL');
  await new Promise((res) => child.once('exit', res));
  for (const hex of readdirSync(join(r, 'blobs', 'sha256'))) {
    const sum = createHash('sha256')
      .update(readFileSync(join(r, 'blobs', 'sha256', hex)))
      .digest('hex');
    assert.equal(sum, hex, 'every visible blob is complete');
  }
  assert.ok(
    readdirSync(join(r, 'locks')).some((n) => n.startsWith('layer-')),
    'the killed pull left its locks',
  );
  const img = await openImageStore(r).pull(`${reg.host}/${REPO}:latest`);
  assert.equal(img.id, imgs.configDigest);
  await openImageStore(r).prune();
  assert.deepEqual(readdirSync(join(r, 'tmp')), [], "prune removed the dead pull's temp files");
});
