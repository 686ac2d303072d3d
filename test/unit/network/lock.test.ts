// The host-wide network lock: mutual exclusion, takeover of a dead holder's lock (also of one
// killed while a waiter sleeps), a waiter woken by the release instead of polling, and a clear
// error naming a live holder that keeps it too long.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { existsSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEAD_HOLDER_CHECK_MS, withLock } from '../../../src/network/lock.ts';

/** Another process that writes its pid into `file` (the lock taken), then runs `then`; resolves once held. */
async function holder(file: string, then: string): Promise<ChildProcess> {
  const script = `const fs = require('node:fs'); const file = ${JSON.stringify(file)};
    fs.writeFileSync(file, String(process.pid)); process.stdout.write('held\\n'); ${then}`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout!, 'data');
  return child;
}

/** Counts this process's lock attempts on `file`: each makes, links and removes FILE.PID.tmp. */
function countAttempts(file: string): { count(): number; close(): void } {
  const tmp = `${file.slice(file.lastIndexOf('/') + 1)}.${process.pid}.tmp`;
  let events = 0;
  const w = watch(file.slice(0, file.lastIndexOf('/')), (event, name) => {
    if (event === 'rename' && name === tmp) events++;
  });
  return { count: () => Math.ceil(events / 2), close: () => w.close() };
}

test('network lock', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), `gantry-lock-${process.pid}-`));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'net.lock');

  await t.test('holders never overlap', async () => {
    const log: string[] = [];
    const job = (name: string) =>
      withLock(file, async () => {
        log.push(`${name}+`);
        await sleep(20);
        log.push(`${name}-`);
      });
    await Promise.all([job('a'), job('b'), job('c')]);
    for (let i = 0; i < log.length; i += 2) assert.equal(log[i]!.slice(0, -1), log[i + 1]!.slice(0, -1), log.join(' '));
    assert.ok(!existsSync(file), 'released');
  });

  await t.test('a dead holder’s lock is taken over', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    await writeFile(file, dead);
    assert.equal(await withLock(file, async () => 'got it', 2000), 'got it');
  });

  await t.test(
    'an empty lock (a holder killed between create and write) is taken over once old, never young',
    async () => {
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
      await writeFile(`${file}.${dead}.tmp`, dead); // an attempt killed before its link
      await writeFile(file, '');
      await assert.rejects(
        withLock(file, async () => undefined, 200),
        /is held by pid 0/,
      );
      const old = new Date(Date.now() - 60_000);
      await utimes(file, old, old);
      assert.equal(await withLock(file, async () => 'got it', 2000), 'got it');
      assert.deepEqual(await readdir(dir), [], 'lock and dead attempt gone');
    },
  );

  await t.test('a waiter sleeps until the release wakes it: a few attempts while held, not one per 5 ms', async () => {
    const holdMs = 1500;
    const child = await holder(file, `setTimeout(() => fs.unlinkSync(file), ${holdMs});`);
    const attempts = countAttempts(file);
    try {
      const started = Date.now();
      assert.equal(await withLock(file, async () => 'got it', 10_000), 'got it');
      const waited = Date.now() - started;
      await sleep(50); // the watch's last events
      // A 5 ms poll makes ~300 attempts in 1.5 s (still ~75 if a loaded machine stretched each to 20 ms);
      // a sleeper makes its first two, one per DEAD_HOLDER_CHECK_MS, and one at the release.
      const bound = 4 + Math.ceil(waited / DEAD_HOLDER_CHECK_MS) + 4;
      assert.ok(attempts.count() <= bound, `${attempts.count()} attempts in ${waited} ms (at most ${bound})`);
      assert.ok(waited >= holdMs - 100, `got it after ${waited} ms, before the release`);
    } finally {
      attempts.close();
      child.kill('SIGKILL');
    }
  });

  await t.test('a holder killed with kill -9 while a waiter sleeps is taken over', async () => {
    const child = await holder(file, 'setInterval(() => undefined, 1000);');
    const got = withLock(file, async () => Date.now(), 10_000);
    await sleep(300);
    const killed = Date.now();
    child.kill('SIGKILL');
    await once(child, 'exit');
    const at = await got;
    assert.ok(at - killed < 2000, `taken over ${at - killed} ms after the kill`);
    assert.ok(!existsSync(file), 'released');
  });

  await t.test('a live holder that keeps it is named', async () => {
    await writeFile(file, String(process.ppid));
    await assert.rejects(
      withLock(file, async () => undefined, 50),
      new RegExp(`lock ${file} is held by pid ${process.ppid}`),
    );
    await rm(file);
  });
});
