// `gantry image …` as a user runs it (built CLI, temporary GANTRY_ROOT): load, ls, inspect,
// tag, save, rm, prune, import, and pull from a real registry with plain progress lines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGantry } from '../../helpers/cli.ts';
import { ensureTestImages } from '../../helpers/test-images.ts';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';

const dir = mkdtempSync(join(tmpdir(), `gantry-imgcli-${process.pid}-`));
const env = { ...process.env, GANTRY_ROOT: join(dir, 'root') };
const imgs = ensureTestImages();
const g = (...args: string[]): ReturnType<typeof runGantry> => runGantry(args, { env });
let reg: TestRegistry;
before(async () => {
  reg = await startRegistry();
  await reg.push(`oci:${imgs.ociLayout}:latest`, 'gantry-test/busybox:latest');
});
after(async () => {
  await reg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('load, ls, inspect, tag, save, rm, prune', async () => {
  const load = await g('image', 'load', '-i', imgs.dockerArchive);
  assert.equal(load.stdout, 'Loaded image: gantry-test/busybox:latest\n', load.stderr);
  assert.equal((await g('image', 'tag', 'gantry-test/busybox', 'localhost:5000/app:v2')).exitCode, 0);
  const table = (await g('image', 'ls')).stdout.split('\n');
  assert.match(table[0]!, /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);
  assert.match(table[1]!, new RegExp(`^gantry-test/busybox\\s+latest\\s+${imgs.configDigest.slice(7, 19)}\\s`));
  assert.match(table[2]!, /^localhost:5000\/app\s+v2\s/);
  assert.equal((await g('image', 'ls', '-q')).stdout, `${imgs.configDigest.slice(7, 19)}\n`);
  const json = JSON.parse((await g('image', 'ls', '--format', 'json')).stdout) as { Id: string; RepoTags: string[] }[];
  assert.deepEqual(
    json.map((i) => i.Id),
    [imgs.configDigest],
  );
  const [insp] = JSON.parse((await g('image', 'inspect', 'localhost:5000/app:v2')).stdout) as {
    Id: string;
    Config: { Cmd: string[]; Healthcheck: { Test: string[] }; ExposedPorts: object };
  }[];
  assert.equal(insp!.Id, imgs.configDigest);
  assert.deepEqual(insp!.Config.Cmd, ['sh']);
  assert.deepEqual(insp!.Config.Healthcheck.Test, ['CMD-SHELL', 'true']);
  assert.deepEqual(insp!.Config.ExposedPorts, { '8080/tcp': {} });
  const out = join(dir, 'out.tar');
  assert.equal((await g('image', 'save', '-o', out, 'localhost:5000/app:v2')).exitCode, 0);
  assert.ok(existsSync(out));
  assert.equal((await g('image', 'rm', 'localhost:5000/app:v2', 'gantry-test/busybox')).exitCode, 0);
  assert.match((await g('image', 'prune')).stdout, /^Deleted layers: 3\n/);
  assert.equal((await g('image', 'load', '-i', out)).stdout, 'Loaded image: localhost:5000/app:v2\n');
});

test('errors: unknown image, bad reference, missing -o', async () => {
  const missing = await g('image', 'inspect', 'nope:1');
  assert.notEqual(missing.exitCode, 0);
  assert.equal(missing.stderr, 'image inspect: no such image: nope:1\n');
  const bad = await g('image', 'pull', 'UPPER');
  assert.equal(bad.stderr, 'invalid image reference "UPPER": repository name must be lowercase\n');
  assert.notEqual((await g('image', 'save', 'x')).exitCode, 0);
});

test('pull prints plain progress lines when not on a terminal', async () => {
  const ref = `${reg.host}/gantry-test/busybox:latest`;
  const r = await g('image', 'pull', ref);
  assert.equal(r.exitCode, 0, r.stderr);
  assert.equal(r.stdout, `${ref}: ${imgs.configDigest}\n`);
  assert.match(
    r.stderr,
    new RegExp(`^${ref.replace(/[.]/g, '\\.')}: resolved ${imgs.manifestDigest} \\(3 layers\\)$`, 'm'),
  );
  assert.equal(r.stderr.match(/: done$/gm)?.length, 3);
  const again = await g('image', 'pull', ref);
  assert.equal(again.stderr.match(/: already exists$/gm)?.length, 3);
});
