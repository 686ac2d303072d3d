// beginStopSupervisor tells two moments apart: `released`, once the supervisor gave up its pid file
// (main.ts does that after closing every socket and watch), which down's removals wait for, and
// `gone`, once the process exited, which down waits for before it returns. A stand-in supervisor
// (a shell that, on SIGTERM, removes its pid file and lingers 1.5 s) shows the difference: on
// 1143d2b one promise resolved only once the process was gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beginStopSupervisor } from '../../../src/supervisor/index.ts';
import { filesOf, startTimeOf } from '../../../src/supervisor/files.ts';

const alive = (pid: number): boolean =>
  existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));

test('a stopped supervisor is released when its pid file goes, gone when it exits', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-stop-release-'));
  const f = filesOf(dir);
  const script = `trap 'rm -f "$0"; sleep 1.5; exit 0' TERM; while :; do sleep 0.05; done`;
  const child = spawn('/bin/sh', ['-c', script, f.pid], { stdio: 'ignore' });
  t.after(() => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const pid = child.pid!;
  let start: string | undefined;
  while ((start = startTimeOf(pid)) === undefined) await sleep(5);
  writeFileSync(f.pid, `${pid} ${start}\n`);
  await sleep(100); // the shell has set its trap

  const t0 = Date.now();
  const stopping = beginStopSupervisor(dir);
  await stopping.released;
  const releasedMs = Date.now() - t0;
  assert.equal(existsSync(f.pid), false, 'released before the pid file went');
  assert.ok(alive(pid), `released only once the process was gone (${releasedMs} ms)`);
  await stopping.gone;
  assert.equal(alive(pid), false, 'gone while the process lived');
  assert.ok(Date.now() - t0 >= 1_000, 'gone before the shell could exit');
});
