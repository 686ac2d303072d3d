// Rendering of ls and stats: Compose's combined status and Docker's stats cells.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combinedStatus } from '../../../src/engine/commands/ls.ts';
import { binarySize, decimalSize, statsRow } from '../../../src/cli/render/stats-row.ts';
import { cpuPercent, toSample } from '../../../src/engine/commands/stats.ts';
import { parseBlkio, parseIoStat } from '../../../src/runtime/cgroups/types.ts';
import { parseNetDev } from '../../../src/runtime/stats.ts';

test('combined status counts states, sorted', () => {
  assert.equal(combinedStatus(['running', 'exited', 'running']), 'exited(1), running(2)');
  assert.equal(combinedStatus([]), '');
});

test('sizes: memory in binary units, I/O in decimal ones, 4 significant digits', () => {
  assert.equal(binarySize(0), '0B');
  assert.equal(binarySize(1536 * 1024), '1.5MiB');
  assert.equal(binarySize(8 * 1024 ** 3), '8GiB');
  assert.equal(decimalSize(1234), '1.234kB');
  assert.equal(decimalSize(999), '999B');
});

test('cpu % is cpu time over wall time between two samples', () => {
  const s = (cpuNanos: number) => ({
    memoryBytes: 0,
    memoryLimitBytes: undefined,
    cpuNanos,
    pids: 1,
    blockReadBytes: 0,
    blockWriteBytes: 0,
    netRxBytes: 0,
    netTxBytes: 0,
  });
  assert.equal(cpuPercent({ at: 0, s: s(0) }, { at: 1000, s: s(500e6) }), 50);
  assert.equal(cpuPercent(undefined, { at: 1000, s: s(500e6) }), 0, 'no previous sample: unknown, shown as 0');
  const row = statsRow(
    toSample(
      'p-web-1',
      'web',
      { at: 0, s: s(0) },
      { at: 500, s: { ...s(1e9), memoryBytes: 1024 ** 2, memoryLimitBytes: 4 * 1024 ** 2, netRxBytes: 1500 } },
      8 * 1024 ** 3,
    ),
  );
  assert.deepEqual(row, {
    ID: 'p-web-1',
    Name: 'p-web-1',
    CPUPerc: '200.00%',
    MemUsage: '1MiB / 4MiB',
    MemPerc: '25.00%',
    NetIO: '1.5kB / 0B',
    BlockIO: '0B / 0B',
    PIDs: '1',
  });
});

test('cgroup and netns counters parse', () => {
  assert.deepEqual(parseIoStat('8:0 rbytes=100 wbytes=20 rios=1\n8:16 rbytes=1 wbytes=2\n'), { read: 101, write: 22 });
  assert.deepEqual(parseBlkio('8:0 Read 4096\n8:0 Write 512\n8:0 Sync 0\n8:0 Total 4608\nTotal 4608\n'), {
    read: 4096,
    write: 512,
  });
  const dev =
    'Inter-|   Receive\n face |bytes packets\n    lo: 999 1 0 0 0 0 0 0 999 1 0 0 0 0 0 0\n  eth0: 1200 3 0 0 0 0 0 0 800 2 0 0 0 0 0 0\n';
  assert.deepEqual(parseNetDev(dev), { rx: 1200, tx: 800 });
});
