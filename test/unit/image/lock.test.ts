// Store locks: exclusive between holders, a dead holder's lock is taken over (by PID check),
// a live holder's lock is waited for, and waiting honours the timeout and AbortSignal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withLock } from '../../../src/image/store/lock.ts';

const dir = mkdtempSync(join(tmpdir(), `gantry-lock-${process.pid}-`));
test.after(() => rmSync(dir, { recursive: true, force: true }));

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
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  }).stdout;
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
