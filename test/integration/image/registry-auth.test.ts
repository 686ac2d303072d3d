// Registry authentication against real servers: htpasswd Basic auth on docker-registry with
// credentials from a Docker config.json; docker-registry's own token mode (JWTs from our token
// server, verified by the registry against its rootcertbundle); and the Bearer challenge flow
// through a token proxy in front of an open registry.
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
  await reg.push(`oci:${imgs.ociLayout}:latest`, 'gantry-test/busybox:latest');
  open = await startRegistry();
  await open.push(`oci:${imgs.ociLayout}:latest`, 'gantry-test/busybox:latest');
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
  await assert.rejects(
    openImageStore(root()).pull(`${reg.host}/gantry-test/busybox:latest`),
    /authentication (required|failed)/,
  );
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
  await assert.rejects(
    openImageStore(root()).pull(`${proxy.host}/gantry-test/busybox:latest`),
    /authentication required|token server/,
  );
  dockerConfig({ [proxy.host]: { auth: b64(creds.username, creds.password) } });
  const img = await openImageStore(root()).pull(`${proxy.host}/gantry-test/busybox:latest`);
  assert.equal(img.id, imgs.configDigest);
  assert.ok(
    proxy.tokenRequests.some((r) => r.auth?.startsWith('Basic ')),
    'credentials sent to the token server',
  );
});

test('registry token auth: anonymous refused, then a token for the credentials', async (t) => {
  const tokReg = await startRegistry({ auth: 'token' });
  t.after(() => tokReg.stop());
  await tokReg.push(`oci:${imgs.ociLayout}:latest`, 'gantry-test/busybox:latest');
  dockerConfig({});
  await assert.rejects(
    openImageStore(root()).pull(`${tokReg.host}/gantry-test/busybox:latest`),
    /token server .*authentication required/,
  );
  dockerConfig({ [tokReg.host]: { auth: b64(tokReg.creds!.username, tokReg.creds!.password) } });
  const before = tokReg.tokens!.requests.length;
  const img = await openImageStore(root()).pull(`${tokReg.host}/gantry-test/busybox:latest`);
  assert.equal(img.id, imgs.configDigest);
  const mine = tokReg.tokens!.requests.slice(before);
  assert.deepEqual(
    mine.map((r) => r.basic),
    [false, true],
    'anonymous first, then with credentials',
  );
  assert.equal(mine[1]!.scope, 'repository:gantry-test/busybox:pull');
});

test('registry token auth: an anonymous pull token is enough when the server grants one', async (t) => {
  const tokReg = await startRegistry({ auth: 'token', allowAnonymous: true });
  t.after(() => tokReg.stop());
  await tokReg.push(`oci:${imgs.ociLayout}:latest`, 'gantry-test/busybox:latest');
  dockerConfig({});
  const before = tokReg.tokens!.requests.length;
  const img = await openImageStore(root()).pull(`${tokReg.host}/gantry-test/busybox:latest`);
  assert.equal(img.id, imgs.configDigest);
  assert.deepEqual(
    tokReg.tokens!.requests.slice(before).map((r) => r.basic),
    [false],
  );
});
