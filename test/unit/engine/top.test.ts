// top's `ps -ef` columns from /proc texts: user, pids, CPU %, start time, tty, cumulative CPU
// time and the command (kernel threads in brackets), checked on made-up but well-formed texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { psRow } from '../../../src/engine/commands/top.ts';

/** A /proc/PID/stat line: fields 3.. after "pid (comm) "; utime/stime/starttime in ticks (100/s). */
function stat(
  pid: number,
  comm: string,
  f: { ppid: number; tty: number; utime: number; stime: number; start: number },
): string {
  const rest = Array.from({ length: 50 }, () => '0');
  const set = (field: number, v: number | string) => (rest[field - 3] = String(v));
  set(3, 'S');
  set(4, f.ppid);
  set(7, f.tty);
  set(14, f.utime);
  set(15, f.stime);
  set(22, f.start);
  return `${pid} (${comm}) ${rest.join(' ')}`;
}

const boot = new Date(2026, 11, 1, 8, 0, 0).getTime();
const users = (uid: number) => (uid === 0 ? 'root' : String(uid));

test('a process started today: HH:MM, pts tty, CPU time and share of its lifetime', () => {
  // started 2 h after boot, 1 h ago; 36 s of CPU = 1 % of its hour
  const row = psRow(
    {
      pid: 4242,
      stat: stat(4242, 'sleep', { ppid: 4200, tty: (136 << 8) | 3, utime: 3000, stime: 600, start: 2 * 3600 * 100 }),
      status: 'Name:\tsleep\nUid:\t0\t0\t0\t0\n',
      cmdline: 'sleep\x001000\x00',
    },
    { nowMs: boot + 3 * 3600 * 1000, bootMs: boot },
    users,
  );
  assert.deepEqual(row, ['root', '4242', '4200', '1', '10:00', 'pts/3', '00:00:36', 'sleep 1000']);
});

test('older processes show the day; no tty is ?; a kernel thread has no cmdline; unknown uids print as numbers', () => {
  const row = psRow(
    {
      pid: 7,
      stat: stat(7, 'kworker/0:1 (x)', { ppid: 2, tty: 0, utime: 90_000_00, stime: 0, start: 0 }),
      status: 'Uid:\t1234\t1234\t1234\t1234\n',
      cmdline: '',
    },
    { nowMs: boot + 3 * 86400 * 1000, bootMs: boot },
    users,
  );
  assert.deepEqual(row, ['1234', '7', '2', '34', 'Dec01', '?', '1-01:00:00', '[kworker/0:1 (x)]']);
});

test('this very process reads back with its real pid and command', () => {
  const texts = {
    pid: process.pid,
    stat: readFileSync('/proc/self/stat', 'utf8'),
    status: readFileSync('/proc/self/status', 'utf8'),
    cmdline: readFileSync('/proc/self/cmdline', 'utf8'),
  };
  const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))![1]) * 1000;
  const row = psRow(texts, { nowMs: Date.now(), bootMs: btime }, users);
  assert.equal(row[1], String(process.pid));
  assert.equal(row[2], String(process.ppid));
  assert.ok(row[7]!.includes(process.argv0) || row[7]!.includes('node'), row[7]);
});
