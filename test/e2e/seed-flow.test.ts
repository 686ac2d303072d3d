// The seed flow of issue 16, end to end through the built CLI: a small web app (busybox httpd of
// the test image), its Dockerfile, `gantry image build -t app .`, `gantry container run -d -p
// PORT:8080 app`, and the page answers on 127.0.0.1:PORT; `-P` publishes the EXPOSEd port on a
// free one (`container port` says which); the container sits on the default bridge with a route
// out through its gateway and a masquerade of its subnet; `container rm` frees the port, the
// namespace and the forwarder, and leaves the bridge, as Docker leaves docker0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

async function get(port: number, timeoutMs = 15_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
      return await r.text();
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The host port can be bound again: nothing (no forwarder) holds it. */
const bindable = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host: '0.0.0.0', exclusive: true }, () => s.close(() => resolve(true)));
  });

const refused = async (port: number): Promise<boolean> =>
  fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) }).then(
    () => false,
    () => true,
  );

interface NetRow {
  id: string;
  bridge: string;
  subnet: string;
  gateway: string;
  endpoints: { owner: string }[];
}

test('seed flow: build a web app, run it with -p, curl it, rm it', { timeout: 300_000 }, async (t) => {
  const r = await e2eRoot(t.after.bind(t));
  const app = join(r.root, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'index.html'), 'hello from the seed app\n');
  writeFileSync(
    join(app, 'Dockerfile'),
    `FROM gantry-test/busybox:latest
WORKDIR /www
COPY index.html ./
EXPOSE 8080
CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
`,
  );
  const built = await r.gantry(['image', 'build', '-t', 'app', '.'], { cwd: app });
  assert.equal(built.exitCode, 0, built.stderr);

  const port = await freePort();
  const run = await r.gantry(['container', 'run', '-d', '-p', `${port}:8080`, 'app']);
  assert.equal(run.exitCode, 0, run.stderr);
  const id = run.stdout.trim();
  assert.equal(await get(port), 'hello from the seed app\n');
  assert.equal((await r.gantry(['container', 'port', id])).stdout, `8080/tcp -> 0.0.0.0:${port}\n`);

  await t.test(
    'the container is on the default bridge, routed out through its gateway, its subnet masqueraded',
    async () => {
      const nets = JSON.parse((await r.gantry(['network', 'ls', '--format', 'json'])).stdout) as NetRow[];
      const bridge = nets.find((n) => n.id === 'bridge');
      assert.ok(bridge, JSON.stringify(nets));
      assert.equal(bridge.endpoints.length, 1);
      const route = await r.gantry(['container', 'exec', id, 'ip', 'route']);
      assert.match(route.stdout, new RegExp(`default via ${bridge.gateway.replace(/\./g, '\\.')} dev eth0`));
      const nat = execFileSync('iptables', ['-w', '-t', 'nat', '-S']).toString();
      assert.ok(
        nat
          .split('\n')
          .some(
            (l) => l.includes(`-s ${bridge.subnet}`) && l.includes(`! -o ${bridge.bridge}`) && l.includes('MASQUERADE'),
          ),
        nat,
      );
    },
  );

  await t.test('-P publishes the EXPOSEd port on a free host port', async () => {
    const all = await r.gantry(['container', 'run', '-d', '--name', 'any-port', '-P', 'app']);
    assert.equal(all.exitCode, 0, all.stderr);
    const where = (await r.gantry(['container', 'port', 'any-port', '8080'])).stdout.trim();
    const chosen = Number(/^0\.0\.0\.0:(\d+)$/.exec(where)?.[1]);
    assert.ok(chosen > 0 && chosen !== port, where);
    assert.equal(await get(chosen), 'hello from the seed app\n');
    assert.equal((await r.gantry(['container', 'rm', '-f', 'any-port'])).exitCode, 0);
    assert.ok(await refused(chosen));
  });

  await t.test('a busy host port fails the run in one line before anything starts', async () => {
    const busy = await r.gantry(['container', 'run', '-d', '--name', 'clash', '-p', `${port}:8080`, 'app']);
    assert.notEqual(busy.exitCode, 0);
    assert.match(busy.stderr, new RegExp(`port 0\\.0\\.0\\.0:${port}/tcp is already in use`));
    assert.equal(busy.stderr.trim().split('\n').length, 1, busy.stderr);
    assert.equal((await r.gantry(['container', 'ls', '-a'])).stdout.includes('clash'), false);
  });

  await t.test('rm frees the port, the address and the forwarder; the bridge and its pool stay', async () => {
    const state = JSON.parse(readFileSync(join(r.root, 'containers', id, 'state.json'), 'utf8')) as {
      spec: { labels: Record<string, string> };
    };
    const ns = state.spec.labels['io.gantry.netns']!;
    assert.ok(existsSync(`/run/netns/${ns}`));
    assert.equal((await r.gantry(['container', 'rm', '-f', id])).exitCode, 0);
    assert.ok(await refused(port));
    assert.ok(await bindable(port));
    // Given back to the default bridge's pool for the next run (engine/ops/netns-pool.ts), leased by no one.
    assert.ok(existsSync(`/run/netns/${ns}`));
    assert.equal(existsSync(join(r.root, 'projects', '_containers')), false, 'no lease and no forwarder left');
    const nets = JSON.parse((await r.gantry(['network', 'ls', '--format', 'json'])).stdout) as NetRow[];
    assert.deepEqual(
      nets.map((n) => [n.id, n.endpoints.map((e) => e.owner)]),
      [['bridge', ['run pool', 'run pool']]],
    );
  });

  await t.test('a container that exits frees its published port at once, as docker run', async () => {
    const p3 = await freePort();
    const d = await r.gantry([
      'container',
      'run',
      '-d',
      '--name',
      'short',
      '-p',
      `${p3}:8080`,
      'app',
      'sh',
      '-c',
      'httpd -p 8080 -h /www; sleep 3',
    ]);
    assert.equal(d.exitCode, 0, d.stderr);
    assert.equal(await get(p3), 'hello from the seed app\n');
    const until = Date.now() + 30_000;
    while (!(await bindable(p3)) && Date.now() < until) await new Promise((res) => setTimeout(res, 200));
    assert.ok(await bindable(p3), 'the port is free once the container exited');
    assert.match((await r.gantry(['container', 'ls', '-a'])).stdout, /short .*Exited \(0\)/);
    assert.equal((await r.gantry(['container', 'rm', 'short'])).exitCode, 0);
  });

  await t.test('run --rm -d with -p removes everything itself once the program exits', async () => {
    const p2 = await freePort();
    const d = await r.gantry([
      'container',
      'run',
      '--rm',
      '-d',
      '--name',
      'brief',
      '-p',
      `127.0.0.1:${p2}:8080`,
      'app',
      'sh',
      '-c',
      'sleep 1',
    ]);
    assert.equal(d.exitCode, 0, d.stderr);
    const until = Date.now() + 30_000;
    // The container's state goes first, then its namespace and forwarder.
    const left = () => ['containers/brief', 'projects/_containers'].some((f) => existsSync(join(r.root, f)));
    while (left() && Date.now() < until) await new Promise((res) => setTimeout(res, 100));
    assert.equal(existsSync(join(r.root, 'containers', 'brief')), false);
    assert.ok(await refused(p2));
    assert.equal(existsSync(join(r.root, 'projects', '_containers')), false);
  });
});
