// supervisorHolds is asked at every start of an `up` (is the container already in the set the
// live supervisor applied?): it reads the applied marker, the pid file and one /proc/PID/stat, not
// the supervisor's threads too (/proc/PID/task and a task's stat: issue 20).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs, { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { supervisorHolds } from '../../../src/supervisor/index.ts';

const startOf = (pid: number): string => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)!.split(' ')[19]!;

test('a supervisor holding the set is known from its marker and one stat read', (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-holds-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'supervisor.pid'), `${process.pid} ${startOf(process.pid)}\n`);
  writeFileSync(join(dir, 'supervisor.applied'), JSON.stringify({ generation: 4, pid: process.pid }));
  const procReads: string[] = [];
  const read = fs.readFileSync;
  const list = fs.readdirSync;
  t.mock.method(fs, 'readFileSync', (...a: Parameters<typeof read>) => {
    if (String(a[0]).startsWith('/proc/')) procReads.push(String(a[0]));
    return read(...a);
  });
  t.mock.method(fs, 'readdirSync', (...a: Parameters<typeof list>) => {
    if (String(a[0]).startsWith('/proc/')) procReads.push(String(a[0]));
    return list(...a);
  });
  syncBuiltinESMExports();
  t.after(() => (t.mock.restoreAll(), syncBuiltinESMExports()));
  assert.equal(supervisorHolds(dir, 4), true);
  assert.deepEqual(procReads, [`/proc/${process.pid}/stat`]);
  procReads.length = 0;
  assert.equal(supervisorHolds(dir, 5), false, 'a later generation is not held');
  assert.deepEqual(procReads, [], 'an older marker needs no look at the process');
  writeFileSync(join(dir, 'supervisor.pid'), `${process.pid} 1\n`);
  assert.equal(supervisorHolds(dir, 4), false, 'a reused pid holds nothing');
});
