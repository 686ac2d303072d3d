// Healthchecks and restart policies run by the supervisor against real containers: a passing
// check turns healthy, a failing one unhealthy after `retries`, a hanging one times out (exit
// -1); `always` restarts, `on-failure:2` stops after two restarts, `no` and a container stopped
// by the user are left exited. The health file carries status, streak, last probes and restarts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureSupervisor, readHealth } from '../../../src/supervisor/index.ts';
import type { SupervisedHealthcheck } from '../../../src/supervisor/contract.ts';
import { isRoot } from '../../helpers/netns.ts';
import { container, projectFixture, sleep, until } from './project-fixture.ts';

const check = (test: readonly string[], o: Partial<SupervisedHealthcheck> = {}): SupervisedHealthcheck => ({
  test,
  intervalMs: 150,
  timeoutMs: 1000,
  retries: 2,
  startPeriodMs: 0,
  startIntervalMs: 0,
  ...o,
});

test(
  'supervisor: healthchecks and restart policies',
  { skip: !isRoot() && 'needs root', timeout: 120_000 },
  async (t) => {
    const f = projectFixture(t, 'hr');
    const sleeper = ['/bin/sleep', '600'];
    const ok = await f.start('ok-1', sleeper);
    const bad = await f.start('bad-1', sleeper);
    const hang = await f.start('hang-1', sleeper);
    const shell = await f.start('shell-1', sleeper, {
      process: { args: sleeper, env: ['PATH=/bin', 'MARK=here'], cwd: '/tmp' },
    });
    const quick = ['/bin/sh', '-c', 'sleep 0.2; exit 3'];
    const always = await f.start('always-1', quick);
    const onFailure = await f.start('onfail-1', quick);
    const no = await f.start('no-1', quick);
    const userStopped = await f.start('stopped-1', quick);
    f.writeSet({
      networks: [],
      containers: [
        container(ok, 'ok', { healthcheck: check(['CMD', '/bin/true']) }),
        container(bad, 'bad', { healthcheck: check(['CMD', '/bin/sh', '-c', 'echo nope; exit 1']) }),
        container(hang, 'hang', { healthcheck: check(['CMD', '/bin/sleep', '30'], { timeoutMs: 300, retries: 1 }) }),
        container(shell, 'shell', { healthcheck: check(['CMD-SHELL', 'test "$MARK" = here && test "$(pwd)" = /tmp']) }),
        container(always, 'always', { restart: { kind: 'always' } }),
        container(onFailure, 'onfail', { restart: { kind: 'on-failure', maxRetries: 2 } }),
        container(no, 'no', { restart: { kind: 'no' } }),
        container(userStopped, 'stopped', { restart: { kind: 'always' }, stoppedByUser: true }),
      ],
    });
    await ensureSupervisor(f.projectDir);
    const health = (id: string) => readHealth(f.projectDir, id);

    await t.test('a passing check turns healthy; CMD-SHELL sees the container env and cwd', async () => {
      await until('ok healthy', () => health(ok)?.status === 'healthy');
      await until('shell healthy', () => health(shell)?.status === 'healthy');
      assert.equal(health(ok)!.log.at(-1)!.exitCode, 0);
    });

    await t.test('a failing check turns unhealthy after retries, keeping its output', async () => {
      await until('bad unhealthy', () => health(bad)?.status === 'unhealthy');
      const h = health(bad)!;
      assert.ok(h.failingStreak >= 2, `streak ${h.failingStreak}`);
      assert.equal(h.log.at(-1)!.exitCode, 1);
      assert.match(h.log.at(-1)!.output, /nope/);
      await until('five probes kept', () => health(bad)!.log.length === 5);
      await sleep(400);
      assert.equal(health(bad)!.log.length, 5, 'only the last 5 probes are kept');
    });

    await t.test('a hanging check times out (exit -1) and counts as a failure', async () => {
      await until('hang unhealthy', () => health(hang)?.status === 'unhealthy');
      const p = health(hang)!.log.at(-1)!;
      assert.equal(p.exitCode, -1);
      assert.ok(Date.parse(p.end) - Date.parse(p.start) < 3000, 'killed at the timeout, not after the sleep');
    });

    await t.test('always restarts the container again and again', async () => {
      await until('always restarted twice', () => (health(always)?.restartCount ?? 0) >= 2);
    });

    await t.test('on-failure:2 stops after two restarts', async () => {
      await until('onfail restarted twice', () => health(onFailure)?.restartCount === 2);
      await until('onfail exited for good', () => f.rt.state(onFailure).status === 'exited');
      await sleep(1500); // longer than the back-off a third restart would wait (400 ms) plus its run
      assert.equal(health(onFailure)!.restartCount, 2);
      assert.equal(f.rt.state(onFailure).status, 'exited');
      assert.equal(f.rt.state(onFailure).exitCode, 3);
    });

    await t.test('no, and a container stopped by the user, stay exited', async () => {
      await until('no exited', () => f.rt.state(no).status === 'exited' && f.rt.state(userStopped).status === 'exited');
      await sleep(700);
      for (const id of [no, userStopped]) {
        assert.equal(f.rt.state(id).status, 'exited', id);
        assert.equal(health(id)?.restartCount, 0, id);
      }
    });
  },
);
