// `gantry image push` to Debian's docker-registry (distribution 2.8) on 127.0.0.1, with the
// credentials of ~/.docker/config.json as pull reads them (htpasswd basic auth, and the token
// flow asking for pull,push): a built image goes up, its digest is printed, a second push sends
// no blob, and pulled back into an empty store (another GANTRY_ROOT) it has the same manifest
// digest and runs the same program.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { e2eRoot, type E2eRoot } from '../helpers/engine-e2e.ts';
import { runGantry } from '../helpers/cli.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';

function dockerConfig(r: E2eRoot, regs: readonly TestRegistry[]): void {
  const auths = Object.fromEntries(
    regs.map((g) => [g.host, { auth: Buffer.from(`${g.creds!.username}:${g.creds!.password}`).toString('base64') }]),
  );
  mkdirSync(join(r.root, '.docker'), { recursive: true });
  writeFileSync(join(r.root, '.docker', 'config.json'), JSON.stringify({ auths }));
}

const digestOf = (stdout: string, tag: string): string =>
  new RegExp(`^${tag}: digest: (sha256:[0-9a-f]{64}) size: \\d+$`, 'm').exec(stdout)?.[1] ?? '';

test(
  'image push: a built image to a registry with basic and token auth, pulled back the same',
  { timeout: 600_000 },
  async (t) => {
    const r = await e2eRoot(t.after.bind(t));
    const basic = await startRegistry({ auth: 'htpasswd' });
    t.after(() => basic.stop());
    const token = await startRegistry({ auth: 'token' });
    t.after(() => token.stop());
    dockerConfig(r, [basic, token]);
    const ctx = join(r.root, 'ctx');
    mkdirSync(ctx);
    writeFileSync(join(ctx, 'message'), `pushed by ${process.pid}\n`);
    writeFileSync(
      join(ctx, 'Dockerfile'),
      'FROM gantry-test/busybox:latest\nCOPY message /message\nRUN echo ran > /ran\nCMD ["cat", "/message", "/ran"]\n',
    );
    const built = await r.gantry(['image', 'build', '-t', 'app:1', ctx]);
    assert.equal(built.exitCode, 0, built.stderr);
    type Inspect = { ManifestDigest: string; GraphDriver: { Data: { LowerDir: string } } }[];
    const inspect = JSON.parse((await r.gantry(['image', 'inspect', 'app:1'])).stdout) as Inspect;
    const blobs = inspect[0]!.GraphDriver.Data.LowerDir.split(':').length + 1; // layers and config

    for (const [name, reg] of [
      ['basic', basic],
      ['token', token],
    ] as const) {
      await t.test(
        `${name} auth: pushed with its digest, a second push sends nothing, pulled back identical`,
        async () => {
          const ref = `${reg.host}/team/app:1`;
          assert.equal((await r.gantry(['image', 'tag', 'app:1', ref])).exitCode, 0);
          const first = await r.gantry(['image', 'push', ref]);
          assert.equal(first.exitCode, 0, first.stderr);
          const digest = digestOf(first.stdout, '1');
          assert.ok(digest, first.stdout);
          assert.equal(first.stderr.match(/: Pushed$/gm)?.length, blobs, first.stderr);
          const second = await r.gantry(['image', 'push', ref]);
          assert.equal(second.exitCode, 0, second.stderr);
          assert.equal(digestOf(second.stdout, '1'), digest);
          assert.equal(second.stderr.match(/: Pushed$/gm), null, second.stderr);
          assert.equal(second.stderr.match(/: Layer already exists$/gm)?.length, blobs, second.stderr);

          const other = mkdtempSync(join(tmpdir(), `gantry-e2e-pull-${process.pid}-`));
          t.after(() => rmSync(other, { recursive: true, force: true }));
          const env = { ...r.env, GANTRY_ROOT: other };
          const pulled = await runGantry(['image', 'pull', ref], { env, cwd: r.root, timeoutMs: 120_000 });
          assert.equal(pulled.exitCode, 0, pulled.stderr);
          const back = JSON.parse((await runGantry(['image', 'inspect', ref], { env, cwd: r.root })).stdout) as Inspect;
          assert.equal(back[0]!.ManifestDigest, digest);
          assert.equal(inspect[0]!.ManifestDigest, digest);
          const run = await runGantry(['container', 'run', '--rm', '--network', 'none', ref], { env, cwd: r.root });
          assert.equal(run.stdout, `pushed by ${process.pid}\nran\n`, run.stderr);
        },
      );
    }

    await t.test('compose push: the services built here and named for a registry, digest per service', async () => {
      const dir = r.project('pushed', {
        'compose.yaml': `services:
  web:
    build: ${ctx}
    image: ${basic.host}/team/web:2
  local:
    build: ${ctx}
  plain:
    image: gantry-test/busybox:latest
`,
      });
      assert.equal((await r.gantry(['build', '-q'], { cwd: dir })).exitCode, 0);
      const push = await r.gantry(['push'], { cwd: dir });
      assert.equal(push.exitCode, 0, push.stderr);
      const lines = push.stdout.trim().split('\n');
      assert.equal(lines.length, 1, push.stdout); // local has no registry name, plain is not built here
      assert.match(lines[0]!, /^web: 2: digest: sha256:[0-9a-f]{64} size: \d+$/);
      assert.match(push.stderr, /^\[web\] [0-9a-f]{12}: Pushed$/m);
      const again = await r.gantry(['push', 'web'], { cwd: dir });
      assert.equal(again.stdout, push.stdout);
      assert.doesNotMatch(again.stderr, /Pushed/);
    });

    await t.test('no credentials for the registry: one line saying so, exit non-zero', async () => {
      writeFileSync(join(r.root, '.docker', 'config.json'), '{}');
      const denied = await r.gantry(['image', 'push', `${basic.host}/team/app:1`]);
      assert.notEqual(denied.exitCode, 0);
      assert.match(denied.stderr, /authentication/);
      assert.equal(denied.stderr.trim().split('\n').length, 1, denied.stderr);
    });
  },
);
