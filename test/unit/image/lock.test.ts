// Store locks: exclusive between holders, a dead holder's lock is taken over (by PID check),
// a live holder's lock is waited for, and waiting honours the timeout and AbortSignal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withLock } from '../../../src/image/store/lock.ts';

const dir = mkdtempSync(join(tmpdir(), `gantry-lock-${process.pid}-`));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const deadPid = (): string =>
  spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;

test('holders run one at a time', async () => {
  const path = join(dir, 'a.lock');
  const order: string[] = [];
  const job = (name: string) =>
    withLock(path, async () => {
      order.push(`${name}+`);
      await new Promise((r) => setTimeout(r, 30));
      order.push(`${name}-`);
    });
  await Promise.all([job('x'), job('y')]);
  assert.ok(order.join() === 'x+,x-,y+,y-' || order.join() === 'y+,y-,x+,x-', order.join());
  assert.ok(!existsSync(path), 'released');
});

test('a lock held by a dead PID is taken over', async () => {
  const path = join(dir, 'b.lock');
  const dead = deadPid();
  writeFileSync(path, `${dead}\n`);
  assert.equal(await withLock(path, async () => 'got it', { timeoutMs: 2000 }), 'got it');
});

test('a lock held by a live PID is waited for until the timeout, or aborted', async () => {
  const path = join(dir, 'c.lock');
  writeFileSync(path, `${process.ppid}\n`); // our parent is alive
  await assert.rejects(
    withLock(path, async () => 'never', { timeoutMs: 200 }),
    /timed out waiting for lock/,
  );
  const ac = new AbortController();
  setTimeout(() => ac.abort(new Error('stop')), 50);
  await assert.rejects(
    withLock(path, async () => 'never', { signal: ac.signal }),
    /stop/,
  );
  assert.ok(existsSync(path), 'a live holder keeps its lock');
});

test('an empty lock, left by a gantry killed between creating it and writing its PID, is taken over', async () => {
  // Older stores may hold one; a recent lock may be one being written, so only an old one is broken.
  const path = join(dir, 'd.lock');
  writeFileSync(path, '');
  const old = new Date(Date.now() - 60_000);
  utimesSync(path, old, old);
  assert.equal(await withLock(path, async () => 'got it', { timeoutMs: 3000 }), 'got it');
  assert.ok(!existsSync(path), 'released');
});

test('a lock holds its owner PID, and the temp of a killed attempt at it is removed', async () => {
  const path = join(dir, 'e.lock');
  const dead = deadPid();
  writeFileSync(`${path}.${dead}.tmp`, '');
  const seen = await withLock(path, async () => readFileSync(path, 'utf8'));
  assert.equal(seen, `${process.pid}\n`);
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.startsWith('e.lock')),
    [],
    'no temp of a dead attempt is left',
  );
});
