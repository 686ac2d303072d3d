// Registry authentication against real servers: htpasswd Basic auth on docker-registry with
// credentials from a Docker config.json, and the Bearer challenge → token flow through a token
// proxy in front of it (anonymous token, and a token server that demands credentials).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openImageStore } from '../../../src/image/index.ts';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { startRegistryProxy } from '../../helpers/registry-proxy.ts';
import { ensureTestImages, type TestImages } from '../../helpers/test-images.ts';

let reg: TestRegistry;
let open: TestRegistry;
let imgs: TestImages;
const dir = mkdtempSync(join(tmpdir(), `gantry-auth-${process.pid}-`));
const savedDockerConfig = process.env['DOCKER_CONFIG'];

function dockerConfig(auths: Record<string, { auth: string }>): void {
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths }));
  process.env['DOCKER_CONFIG'] = dir;
}
const b64 = (u: string, p: string): string => Buffer.from(`${u}:${p}`).toString('base64');

before(async () => {
  imgs = ensureTestImages();
  reg = await startRegistry({ auth: 'htpasswd' });
  reg.push(`oci:${imgs.ociLayout}:latest`, 'gantry-test/busybox:latest');
  open = await startRegistry();
  open.push(`oci:${imgs.ociLayout}:latest`, 'gantry-test/busybox:latest');
});
after(async () => {
  if (savedDockerConfig === undefined) delete process.env['DOCKER_CONFIG'];
  else process.env['DOCKER_CONFIG'] = savedDockerConfig;
  await reg?.stop();
  await open?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const root = (): string => mkdtempSync(join(dir, 'root-'));

test('basic auth: refused without credentials, pulled with config.json auths', async () => {
  dockerConfig({});
  await assert.rejects(openImageStore(root()).pull(`${reg.host}/gantry-test/busybox:latest`), /authentication (required|failed)/);
  dockerConfig({ [reg.host]: { auth: b64('gantry', 'wrong') } });
  await assert.rejects(openImageStore(root()).pull(`${reg.host}/gantry-test/busybox:latest`), /credentials refused/);
  dockerConfig({ [reg.host]: { auth: b64(reg.creds!.username, reg.creds!.password) } });
  const img = await openImageStore(root()).pull(`${reg.host}/gantry-test/busybox:latest`);
  assert.equal(img.id, imgs.configDigest);
});

test('bearer: anonymous token from the realm named in the challenge', async (t) => {
  const proxy = await startRegistryProxy(open.host, { bearer: {} });
  t.after(() => proxy.close());
  dockerConfig({});
  const img = await openImageStore(root()).pull(`${proxy.host}/gantry-test/busybox:latest`);
  assert.equal(img.id, imgs.configDigest);
  assert.ok(proxy.tokenRequests.length >= 1);
  assert.equal(proxy.tokenRequests[0]!.auth, undefined, 'first token request is anonymous');
  assert.equal(proxy.tokenRequests[0]!.scope, 'repository:gantry-test/busybox:pull');
});

test('bearer: the token server demands credentials, taken from config.json', async (t) => {
  const creds = { username: 'tok', password: `secret-${process.pid}` };
  const proxy = await startRegistryProxy(open.host, { bearer: { creds } });
  t.after(() => proxy.close());
  dockerConfig({});
  await assert.rejects(openImageStore(root()).pull(`${proxy.host}/gantry-test/busybox:latest`), /authentication required|token server/);
  dockerConfig({ [proxy.host]: { auth: b64(creds.username, creds.password) } });
  const img = await openImageStore(root()).pull(`${proxy.host}/gantry-test/busybox:latest`);
  assert.equal(img.id, imgs.configDigest);
  assert.ok(proxy.tokenRequests.some((r) => r.auth?.startsWith('Basic ')), 'credentials sent to the token server');
});
