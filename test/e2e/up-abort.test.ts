// Attached `up` as CI scripts use it: --abort-on-container-exit / --abort-on-container-failure
// stop the stack on the first (failing) exit, --exit-code-from passes a service's code through,
// --timestamps / --attach / --no-attach shape the stream, and the flag combinations Compose
// refuses are usage errors that create nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eRoot, type E2eRoot } from '../helpers/engine-e2e.ts';

const IMG = 'gantry-test/busybox:latest';

interface PsRow {
  Name: string;
  Service: string;
  State: string;
  ExitCode: number;
}
const psAll = async (e: E2eRoot, dir: string): Promise<PsRow[]> =>
  JSON.parse((await e.gantry(['ps', '-a', '--format', 'json'], { cwd: dir })).stdout) as PsRow[];

const stack = (name: string): string => `name: ${name}
services:
  fail: {image: ${IMG}, command: ["sh", "-c", "echo failing now; sleep 1; exit 3"]}
  sleeper: {image: ${IMG}, init: true, command: ["sh", "-c", "echo sleeper up; exec sleep 600"]}
  quiet: {image: ${IMG}, init: true, command: ["sh", "-c", "echo quiet talk; exec sleep 600"]}
`;

test(
  '--abort-on-container-exit stops the stack with the exit code of the container that exited',
  { timeout: 240_000 },
  async (t) => {
    const e = await e2eRoot((fn) => t.after(fn));
    const name = `e2e${process.pid}abx`;
    const dir = e.project(name, { 'compose.yaml': stack(name) });
    const r = await e.gantry(['up', '--abort-on-container-exit', '--timestamps', '--no-attach', 'quiet', '-t', '2'], {
      cwd: dir,
    });
    assert.equal(r.exitCode, 3, r.stderr);
    assert.match(r.stderr, /Attaching to fail-1, sleeper-1\n/);
    assert.match(r.stdout, /^fail-1 {5}\| \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z failing now$/m);
    assert.match(r.stdout, /^fail-1 exited with code 3$/m);
    assert.doesNotMatch(r.stdout, /quiet/);
    assert.match(r.stderr, /Aborting on container exit\.\.\./);
    const ps = await psAll(e, dir);
    assert.deepEqual(
      ps.map((p) => [p.Service, p.State]),
      [
        ['fail', 'exited'],
        ['quiet', 'exited'],
        ['sleeper', 'exited'],
      ],
    );

    await t.test('--exit-code-from a service the abort stopped: its own (signal) exit code', async () => {
      const r2 = await e.gantry(['up', '--exit-code-from', 'sleeper', '--attach', 'fail', '-t', '2'], { cwd: dir });
      const sleeper = (await psAll(e, dir)).find((p) => p.Service === 'sleeper')!;
      assert.equal(sleeper.State, 'exited');
      assert.ok(sleeper.ExitCode > 128, `sleeper was stopped by a signal, exit ${sleeper.ExitCode}`);
      assert.equal(r2.exitCode, sleeper.ExitCode, r2.stderr);
      assert.match(r2.stderr, /Attaching to fail-1\n/);
      assert.doesNotMatch(r2.stdout, /sleeper-1 {2}\|/); // watched for its exit code, not streamed
      assert.match(r2.stdout, /^fail-1 {2}\| failing now$/m);
    });

    await t.test('--exit-code-from the service that exited', async () => {
      const r3 = await e.gantry(['up', '--exit-code-from', 'fail', '-t', '2'], { cwd: dir });
      assert.equal(r3.exitCode, 3, r3.stderr);
      assert.match(r3.stderr, /Aborting on container exit\.\.\./);
    });
  },
);

test(
  '--abort-on-container-failure ignores clean exits and aborts on the first failing one',
  { timeout: 240_000 },
  async (t) => {
    const e = await e2eRoot((fn) => t.after(fn));
    const name = `e2e${process.pid}abf`;
    const dir = e.project(name, {
      'compose.yaml': `name: ${name}
services:
  ok: {image: ${IMG}, command: ["sh", "-c", "echo done fine"]}
  bad: {image: ${IMG}, command: ["sh", "-c", "sleep 3; echo giving up; exit 5"]}
  sleeper: {image: ${IMG}, init: true, command: ["sleep", "600"]}
`,
    });
    const r = await e.gantry(['up', '--abort-on-container-failure', '-t', '2'], { cwd: dir });
    assert.equal(r.exitCode, 5, r.stderr);
    assert.match(r.stdout, /^ok-1 exited with code 0$/m);
    assert.match(r.stdout, /^bad-1 exited with code 5$/m);
    assert.ok(r.stdout.indexOf('ok-1 exited') < r.stdout.indexOf('bad-1 exited'), r.stdout);
    assert.deepEqual(
      (await psAll(e, dir)).map((p) => p.State),
      ['exited', 'exited', 'exited'],
    );

    await t.test('no failure: the stack runs until every container exits, exit 0', async () => {
      const r2 = await e.gantry(['up', '--abort-on-container-failure', 'ok'], { cwd: dir });
      assert.equal(r2.exitCode, 0, r2.stderr);
      assert.match(r2.stdout, /^ok-1 {2}\| done fine$/m);
      assert.doesNotMatch(r2.stderr, /Aborting/);
    });
  },
);

test(
  'which logs stream: attach: false, SERVICE..., --attach-dependencies, --no-log-prefix',
  { timeout: 240_000 },
  async (t) => {
    const e = await e2eRoot((fn) => t.after(fn));
    const name = `e2e${process.pid}abs`;
    const dir = e.project(name, {
      'compose.yaml': `name: ${name}
services:
  main: {image: ${IMG}, depends_on: [helper], command: ["sh", "-c", "sleep 1; echo main says; exit 7"]}
  helper: {image: ${IMG}, init: true, command: ["sh", "-c", "echo helper says; exec sleep 600"]}
  noisy: {image: ${IMG}, init: true, attach: false, command: ["sh", "-c", "echo noisy says; exec sleep 600"]}
`,
    });
    const all = await e.gantry(['up', '--abort-on-container-exit', '-t', '2'], { cwd: dir });
    assert.equal(all.exitCode, 7, all.stderr);
    assert.match(all.stderr, /Attaching to helper-1, main-1\n/);
    assert.match(all.stdout, /^main-1 {4}\| main says$/m);
    assert.doesNotMatch(all.stdout, /noisy/);

    const deps = await e.gantry(
      ['up', '--exit-code-from', 'main', '--attach-dependencies', '--no-log-prefix', 'main', '-t', '2'],
      { cwd: dir },
    );
    assert.equal(deps.exitCode, 7, deps.stderr);
    assert.match(deps.stderr, /Attaching to helper-1, main-1\n/);
    assert.match(deps.stdout, /^main says$/m);
    assert.match(deps.stdout, /^helper says$/m);

    const only = await e.gantry(['up', '--exit-code-from', 'main', 'main', '-t', '2'], { cwd: dir });
    assert.equal(only.exitCode, 7, only.stderr);
    assert.match(only.stderr, /Attaching to main-1\n/);
    assert.doesNotMatch(only.stdout, /helper/);
  },
);

test('flag combinations Compose refuses are usage errors, and nothing is created', { timeout: 120_000 }, async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}abu`;
  const dir = e.project(name, { 'compose.yaml': stack(name) });
  const cases: Array<[string[], number, RegExp]> = [
    [['-d', '--abort-on-container-exit'], 2, /--detach cannot be combined with --abort-on-container-exit/],
    [['-d', '--exit-code-from', 'fail'], 2, /--detach cannot be combined/],
    [
      ['--abort-on-container-exit', '--abort-on-container-failure'],
      2,
      /--abort-on-container-failure cannot be combined with --abort-on-container-exit/,
    ],
    [['--wait', '--abort-on-container-exit'], 2, /--wait cannot be combined/],
    [['--attach', 'fail', '--attach-dependencies'], 2, /--attach cannot be combined with --attach-dependencies/],
    [['--exit-code-from', 'unknown'], 1, /no such service: unknown/],
    [['--attach', 'nope'], 1, /no such service: nope/],
    [['--scale', 'fail'], 2, /invalid --scale option "fail"/],
    [['--scale', 'ghost=2'], 1, /no such service: ghost/],
  ];
  for (const [args, code, message] of cases) {
    const r = await e.gantry(['up', ...args], { cwd: dir });
    assert.equal(r.exitCode, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  assert.deepEqual(await psAll(e, dir), []);
});
