// `up` starts the supervisor's process before it has a set (prewarmSupervisor), so its Node start
// overlaps the creation of networks and containers. The warm process must wait for a set rather
// than exit, be adopted by the next ensureSupervisor (no second process), be ended when the set
// stays empty, and give up on its own when no set ever comes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureSupervisor, prewarmSupervisor } from '../../../src/supervisor/index.ts';
import { filesOf, livePid } from '../../../src/supervisor/files.ts';
import { isRoot } from '../../helpers/netns.ts';
import { container, projectFixture } from './project-fixture.ts';

const alive = (pid: number): boolean =>
  existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));

async function warmPidOf(projectDir: string): Promise<number> {
  const until = Date.now() + 15_000;
  for (;;) {
    const pid = livePid(filesOf(projectDir));
    if (pid !== undefined) return pid;
    assert.ok(Date.now() < until, 'the prewarmed supervisor never claimed its pid file');
    await sleep(10);
  }
}

test(
  'a prewarmed supervisor waits for its set and is adopted',
  { skip: !isRoot() && 'needs root', timeout: 60_000 },
  async (t) => {
    const f = projectFixture(t, 'warm');
    const certs = process.env['NODE_EXTRA_CA_CERTS'];
    process.env['NODE_EXTRA_CA_CERTS'] = '/etc/ssl/certs/ca-certificates.crt'; // read by Node at start only
    t.after(() =>
      certs === undefined ? delete process.env['NODE_EXTRA_CA_CERTS'] : (process.env['NODE_EXTRA_CA_CERTS'] = certs),
    );
    prewarmSupervisor(f.projectDir);
    const pid = await warmPidOf(f.projectDir);
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    assert.ok(
      env.some((e) => e.startsWith('PATH=')),
      'the caller environment is passed on',
    );
    assert.ok(
      !env.some((e) => e.startsWith('NODE_EXTRA_CA_CERTS=')),
      'without the CA bundle Node would parse at start',
    );
    await sleep(700); // several poll ticks with no set at all: an ordinary supervisor would have exited
    assert.ok(alive(pid), 'the warm supervisor exited without a set');
    const id = await f.start('web-1', ['/bin/sleep', '60']);
    const set = f.writeSet({ networks: [], containers: [container(id, 'web')] });
    await ensureSupervisor(f.projectDir);
    const applied = JSON.parse(readFileSync(filesOf(f.projectDir).applied, 'utf8'));
    assert.deepEqual(applied, { generation: set.generation, pid }, 'the warm process applied the set');
    assert.equal(livePid(filesOf(f.projectDir)), pid, 'no second supervisor');
  },
);

test(
  'a prewarmed supervisor ends when the set stays empty',
  { skip: !isRoot() && 'needs root', timeout: 60_000 },
  async (t) => {
    const f = projectFixture(t, 'warmx');
    prewarmSupervisor(f.projectDir);
    const pid = await warmPidOf(f.projectDir);
    f.writeSet({ networks: [], containers: [] }); // as after an up that failed and undid its work
    await ensureSupervisor(f.projectDir);
    assert.equal(alive(pid), false);
    assert.equal(livePid(filesOf(f.projectDir)), undefined);
  },
);

test(
  'a prewarmed supervisor no set reaches gives up by itself',
  { skip: !isRoot() && 'needs root', timeout: 60_000 },
  async (t) => {
    const f = projectFixture(t, 'warmt');
    process.env['GANTRY_SUPERVISOR_WARM_MS'] = '300';
    t.after(() => delete process.env['GANTRY_SUPERVISOR_WARM_MS']);
    prewarmSupervisor(f.projectDir);
    const pid = await warmPidOf(f.projectDir);
    const until = Date.now() + 10_000;
    while (alive(pid) && Date.now() < until) await sleep(20);
    assert.equal(alive(pid), false, 'still waiting long after its window');
    assert.equal(existsSync(filesOf(f.projectDir).pid), false, 'its pid file is released');
  },
);
