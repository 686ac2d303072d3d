// A start nobody waits on does not make the supervisor re-apply a set that already holds its
// container: each apply re-reads every container's state, so one per start grew with the square
// of the project (issue 20: 26 applies for a 60-service `up`). The supervisor still serves the
// names of the containers it learned of that way. A 1-service `up -d` waits for one apply, not two
// (its closing sync finds the set its start wrote), and its port answers when it returns.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';

const IMG = 'gantry-test/busybox:latest';
const N = 8;
const chain = Array.from({ length: N }, (_, i) =>
  [
    `  s${i + 1}:`,
    `    image: ${IMG}`,
    '    command: ["sleep", "120"]',
    ...(i > 0 ? [`    depends_on: [s${i}]`] : []),
  ].join('\n'),
).join('\n');

test('a chain of starts makes the supervisor apply at most twice', { timeout: 300_000 }, async () => {
  const e = await e2eRoot((fn) => after(fn));
  const dir = e.project('applies', { 'compose.yaml': `name: applies\nservices:\n${chain}\n` });
  const up = await e.gantry(['up', '-d', '--progress', 'quiet'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  const set = JSON.parse(readFileSync(join(e.root, 'projects', 'applies', 'supervision.json'), 'utf8')) as {
    generation: number;
    containers: unknown[];
  };
  assert.equal(set.containers.length, N);
  // The first start's sync finds every container created; the closing sync is the second.
  assert.ok(set.generation <= 2, `the set was written ${set.generation} times for ${N} starts`);
  const look = await e.gantry(['exec', '-T', 's1', 'nslookup', `s${N}`], { cwd: dir });
  assert.equal(look.exitCode, 0, `s1 cannot resolve s${N}: ${look.stdout}${look.stderr}`);
});

const generationOf = (file: string): number =>
  (JSON.parse(readFileSync(file, 'utf8')) as { generation: number }).generation;

/** One connect, no retry: resolves whether the port accepted it. */
const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

test(
  'a 1-service up -d makes the supervisor apply once, and its port answers when up returns',
  { timeout: 300_000 },
  async () => {
    const e = await e2eRoot((fn) => after(fn));
    const yaml = `name: applyonce\nservices:\n  s1:\n    image: ${IMG}\n    init: true\n    command: ["httpd", "-f", "-p", "80", "-h", "/etc"]\n    ports: ["127.0.0.1::80"]\n`;
    const dir = e.project('applyonce', { 'compose.yaml': yaml });
    const up = await e.gantry(['up', '-d', '--progress', 'quiet'], { cwd: dir });
    assert.equal(up.exitCode, 0, up.stderr);
    const files = join(e.root, 'projects', 'applyonce');
    const port = await e.gantry(['port', 's1', '80'], { cwd: dir });
    const hostPort = Number(/:(\d+)\s*$/.exec(port.stdout)?.[1]);
    assert.ok(hostPort > 0, port.stdout + port.stderr);
    assert.ok(await accepts(hostPort), `port ${hostPort} refused right after up returned`);
    assert.equal(generationOf(join(files, 'supervision.json')), 1, 'the set was written again by the closing sync');
    assert.equal(generationOf(join(files, 'supervisor.applied')), 1);
  },
);
