// The plan is the whole truth: for each mutating command, `--dry-run` prints a plan and changes
// nothing, and the same command run next carries out exactly those operations (the engine's
// op-start events, read from `--progress json`): same kinds, targets and causes, no more, no less.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { IMG, uniq, until } from './lifecycle-helpers.ts';

const e = await e2eRoot((fn) => after(fn));

/** `kind target (cause)` per line of a printed plan, sorted. */
function planned(stdout: string): string[] {
  return stdout
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => {
      // `kind target [SIGNAL | ports P,...]  (cause)`
      const m = /^(\S+)\s+(\S+)(?: \S+)*? {2}\((.*?)\)/.exec(line);
      assert.ok(m, `plan line: ${line}`);
      return `${m[1]} ${m[2]} (${m[3]})`;
    })
    .sort();
}

/** The same triple for every op the engine started, from its JSON event lines on stderr. */
function executed(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { kind: string; op?: string; target?: string; cause?: string })
    .filter((ev) => ev.kind === 'op-start')
    .map((ev) => `${ev.op} ${ev.target} (${ev.cause})`)
    .sort();
}

test('dry-run prints exactly what the command then runs: up, scale, stop, start, restart, pause, kill, rm, run, down', async () => {
  const name = uniq('dry');
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  db: {image: ${IMG}, command: [sleep, "600"], volumes: [data:/data]}
  api: {image: ${IMG}, command: [sleep, "600"], depends_on: [db]}
  web: {image: ${IMG}, command: [sleep, "600"], depends_on: [api]}
volumes: {data: {}}
`,
  });
  const g = (args: string[], input?: string) => e.gantry(args, { cwd: dir, ...(input !== undefined ? { input } : {}) });
  // Health and its Status text move on by themselves (the image's healthcheck): what a command could change is the rest.
  const ps = async () => {
    const rows = JSON.parse((await g(['ps', '-a', '--format', 'json'])).stdout || '[]') as Record<string, unknown>[];
    return JSON.stringify(rows.map(({ Health: _h, Status: _s, ...rest }) => rest));
  };
  const check = async (args: string[], expect: RegExp): Promise<void> => {
    const before = await ps();
    // Flags go before the arguments: `run` passes what follows its service on to the command.
    const [verb = '', ...rest] = args;
    const dry = await g([verb, '--dry-run', ...rest]);
    assert.equal(dry.exitCode, 0, `${args.join(' ')} --dry-run: ${dry.stderr}`);
    assert.match(dry.stdout, expect, `${args.join(' ')} --dry-run plans what it should`);
    assert.equal(await ps(), before, `${args.join(' ')} --dry-run changes nothing`);
    const real = await g([verb, '--progress', 'json', ...rest], 'y\n');
    assert.equal(real.exitCode, 0, `${args.join(' ')}: ${real.stderr}`);
    assert.deepEqual(executed(real.stderr), planned(dry.stdout), `${args.join(' ')} runs its dry-run's plan`);
  };
  await check(['up', '-d'], /create-volume[\s\S]*start +\S+-web-1/);
  await check(['scale', 'web=2'], /create-container +\S+-web-2/);
  await check(['stop', '-t', '1'], /stop +\S+-db-1 +\(stop\) {2}after stop:\S+-api-1/);
  await check(['start'], /start +\S+-api-1 +\(start\) {2}after start:\S+-db-1/);
  // As Compose: restart X restarts X (and restart: true dependents), never its dependencies.
  await check(['restart', '-t', '1', 'api'], /^(?![\s\S]*-db-1)[\s\S]*stop +\S+-api-1[\s\S]*start +\S+-api-1/);
  await check(['pause', 'web'], /pause +\S+-web-1[\s\S]*pause +\S+-web-2/);
  await check(['unpause'], /unpause +\S+-web-2/);
  await check(['kill', '-s', 'KILL', 'web'], /kill +\S+-web-1 SIGKILL/);
  assert.equal(await until(e, dir, 'web', 'exited'), 'exited');
  await check(['rm', '-f', 'web'], /remove +\S+-web-2 +\(rm\)/);
  await check(['run', '-d', '--name', `${name}-once`, 'web', 'true'], new RegExp(`create-container +${name}-once`));
  await check(['down', '-v', '--remove-orphans', '-t', '1'], /remove-volume/);
});

test('random host ports are chosen before planning: up --dry-run prints them and up publishes those', async () => {
  const name = uniq('dryport');
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  web: {image: ${IMG}, command: [sleep, "600"], ports: ["80", "127.0.0.1::81/udp"], deploy: {replicas: 2}}
`,
  });
  const g = (args: string[]) => e.gantry(args, { cwd: dir });
  const dry = await g(['up', '--dry-run', '-d']);
  assert.equal(dry.exitCode, 0, dry.stderr);
  const shown = new Map(
    [...dry.stdout.matchAll(/^create-container +(\S+) ports (\d+)->80\/tcp,127\.0\.0\.1:(\d+)->81\/udp {2}/gm)].map(
      (m) => [m[1]!, [Number(m[2]), Number(m[3])]],
    ),
  );
  assert.deepEqual([...shown.keys()].sort(), [`${name}-web-1`, `${name}-web-2`], dry.stdout);
  const real = await g(['up', '-d', '--progress', 'json']);
  assert.equal(real.exitCode, 0, real.stderr);
  assert.deepEqual(executed(real.stderr), planned(dry.stdout), 'up runs its dry-run plan');
  const ps = JSON.parse((await g(['ps', '--format', 'json'])).stdout) as {
    Name: string;
    Publishers: { TargetPort: number; PublishedPort: number }[];
  }[];
  const published = new Map(
    ps.map((r) => [r.Name, [80, 81].map((t) => r.Publishers.find((p) => p.TargetPort === t)?.PublishedPort)]),
  );
  assert.deepEqual(published, shown, 'the ports the dry run printed are the ones published');
  assert.equal((await g(['down', '-t', '1'])).exitCode, 0);
});
