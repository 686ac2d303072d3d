// Replicas: deploy.replicas, `up --scale`, `gantry scale` (and --no-deps) give containers
// numbered 1..N, scaling down removes the highest numbers, and the replicas share their
// service name in gantry's DNS: a client asking repeatedly gets every replica first in turn, and
// ping reaches one by name. The client keeps asking for a while: names are published as `up` runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eRoot, type E2eRoot } from '../helpers/engine-e2e.ts';
import { logsUntil } from '../helpers/logs-until.ts';

const IMG = 'gantry-test/busybox:latest';

const names = async (e: E2eRoot, dir: string): Promise<string[]> =>
  (JSON.parse((await e.gantry(['ps', '-a', '--format', 'json'], { cwd: dir })).stdout) as { Name: string }[]).map(
    (p) => p.Name,
  );

// The first answer of each lookup, then one ping by name. `$$`: a literal `$` for compose.
const LOOKUPS = [
  'sleep 2',
  `for i in 1 2 3 4 5 6 7 8; do nslookup web | awk '/^Address: [0-9.]+$$/ { print "first", $$2; exit }'; sleep 0.3; done`,
  'ping -c1 -W2 web',
  'echo lookups done; exec sleep 600',
].join('; ');

test(
  'replicas are numbered 1..N, scale down removes the highest, DNS round-robins over them',
  { timeout: 300_000 },
  async (t) => {
    const e = await e2eRoot((fn) => t.after(fn));
    const name = `e2e${process.pid}scl`;
    const dir = e.project(name, {
      'compose.yaml': `name: ${name}
services:
  web:
    image: ${IMG}
    init: true
    deploy: {replicas: 2}
    command: ["sh", "-c", "ip -4 -o addr show | grep -v ' lo '; exec sleep 600"]
  client:
    image: ${IMG}
    init: true
    depends_on: [web]
    command: ["sh", "-c", ${JSON.stringify(LOOKUPS)}]
  lonely: {image: ${IMG}, init: true, depends_on: [dep], command: ["sleep", "600"]}
  dep: {image: ${IMG}, init: true, command: ["sleep", "600"]}
`,
    });
    const scaled = await e.gantry(['scale', '--no-deps', 'lonely=2'], { cwd: dir });
    assert.equal(scaled.exitCode, 0, scaled.stderr);
    assert.deepEqual(await names(e, dir), [`${name}-lonely-1`, `${name}-lonely-2`], 'no-deps: dep not started');

    const up = await e.gantry(['up', '-d', 'web', 'client'], { cwd: dir });
    assert.equal(up.exitCode, 0, up.stderr);
    assert.deepEqual(
      (await names(e, dir)).filter((n) => n.includes('-web-')),
      [`${name}-web-1`, `${name}-web-2`],
    );

    const webLog = await logsUntil(e, dir, 'web', (s) => (s.match(/inet \d/g) ?? []).length >= 2);
    const replicaIps = [...webLog.matchAll(/inet (\d+\.\d+\.\d+\.\d+)\//g)].map((m) => m[1]!).sort();
    assert.equal(replicaIps.length, 2, webLog);
    assert.notEqual(replicaIps[0], replicaIps[1]);
    const client = await logsUntil(e, dir, 'client', (s) => s.includes('lookups done'));
    // nslookup shows the answer's order; ping would not: musl sorts addresses by prefix match.
    const firsts = [...new Set([...client.matchAll(/^first (\d+\.\d+\.\d+\.\d+)$/gm)].map((m) => m[1]!))].sort();
    assert.deepEqual(firsts, replicaIps, client);
    const pinged = /^PING web \((\d+\.\d+\.\d+\.\d+)\).*\n(?:.*\n)*?1 packets transmitted, 1 packets received/m.exec(
      client,
    );
    assert.ok(pinged && replicaIps.includes(pinged[1]!), client);

    await t.test('gantry scale up adds the next numbers; down removes the highest first', async () => {
      assert.equal((await e.gantry(['scale', 'web=4'], { cwd: dir })).exitCode, 0);
      assert.deepEqual(
        (await names(e, dir)).filter((n) => n.includes('-web-')),
        [1, 2, 3, 4].map((n) => `${name}-web-${n}`),
      );
      const down = await e.gantry(['scale', 'web=1'], { cwd: dir });
      assert.equal(down.exitCode, 0, down.stderr);
      assert.deepEqual(
        (await names(e, dir)).filter((n) => n.includes('-web-')),
        [`${name}-web-1`],
      );
    });

    await t.test('up --scale overrides deploy.replicas', async () => {
      const r = await e.gantry(['up', '-d', '--scale', 'web=3', 'web'], { cwd: dir });
      assert.equal(r.exitCode, 0, r.stderr);
      assert.deepEqual(
        (await names(e, dir)).filter((n) => n.includes('-web-')),
        [1, 2, 3].map((n) => `${name}-web-${n}`),
      );
    });

    await t.test('bad specifiers and unknown services are refused', async () => {
      const bad = await e.gantry(['scale', 'web'], { cwd: dir });
      assert.equal(bad.exitCode, 2);
      assert.match(bad.stderr, /invalid scale specifier: web/);
      const ghost = await e.gantry(['scale', 'ghost=2'], { cwd: dir });
      assert.equal(ghost.exitCode, 1);
      assert.match(ghost.stderr, /no such service: ghost/);
    });
  },
);
