// The host-wide network lock: mutual exclusion, takeover of a dead holder's lock, and a clear
// error naming a live holder that keeps it too long.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { withLock } from '../../../src/network/lock.ts';

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

  await t.test('a live holder that keeps it is named', async () => {
    await writeFile(file, String(process.ppid));
    await assert.rejects(
      withLock(file, async () => undefined, 50),
      new RegExp(`lock ${file} is held by pid ${process.ppid}`),
    );
    await rm(file);
  });
});
