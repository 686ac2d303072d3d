// cgroup v2 (unified): <mount>/gantry/<name>, controllers enabled in every ancestor's
// subtree_control (the gantry level never holds processes: the "no internal processes" rule).
import { join } from 'node:path';
import type { Host } from '../host.ts';
import type { ResourceSpec } from '../spec.ts';
import type { CgroupStats, ContainerCgroup } from './types.ts';
import { parseIoStat } from './types.ts';
import { listedPids, readNumber, removeDir, waitEmpty, writeUnlessGone } from './common.ts';
import { v2Freeze } from './freezer.ts';

const WANTED = ['cpu', 'cpuset', 'memory', 'pids'];

/** runc's (integer) conversion of cpu.shares (2…262144) to cpu.weight (1…10000). */
export function sharesToWeight(shares: number): number {
  return 1 + Math.floor(((shares - 2) * 9999) / 262142);
}

/** The files and values the limits become; pure, so the mapping is unit-tested. */
export function v2LimitWrites(limits: ResourceSpec): [string, string][] {
  const w: [string, string][] = [];
  if (limits.memory !== undefined) w.push(['memory.max', String(limits.memory)]);
  if (limits.memorySwap !== undefined && limits.memory !== undefined)
    w.push(['memory.swap.max', limits.memorySwap < 0 ? 'max' : String(limits.memorySwap - limits.memory)]);
  if (limits.memoryReservation !== undefined) w.push(['memory.low', String(limits.memoryReservation)]);
  if (limits.cpus !== undefined) w.push(['cpu.max', `${Math.round(limits.cpus * 100000)} 100000`]);
  if (limits.cpuShares !== undefined) w.push(['cpu.weight', String(sharesToWeight(limits.cpuShares))]);
  if (limits.cpuset !== undefined) w.push(['cpuset.cpus', limits.cpuset]);
  if (limits.pids !== undefined) w.push(['pids.max', String(limits.pids)]);
  return w;
}

export function v2Cgroup(host: Host, mount: string, name: string): ContainerCgroup {
  const dir = join(mount, 'gantry', name);
  const procs = join(dir, 'cgroup.procs');
  return {
    procsFiles: [procs],
    views: [{ name: '', dir }],
    oomFile: join(dir, 'memory.events'),
    async create(limits: ResourceSpec) {
      await host.mkdir(dir);
      for (const level of [mount, join(mount, 'gantry')]) await enableControllers(host, level);
      for (const [file, value] of v2LimitWrites(limits)) {
        const p = join(dir, file);
        if (file === 'memory.swap.max' && !host.exists(p)) continue; // no swap accounting: memory stays limited, as Docker warns
        if (!host.exists(p)) throw new Error(`cgroup v2: ${p} is missing (controller not enabled)`);
        await host.writeFile(p, value);
      }
    },
    pids: () => listedPids(host, procs),
    async stats(): Promise<CgroupStats> {
      const cpu = host.exists(join(dir, 'cpu.stat')) ? await host.readFile(join(dir, 'cpu.stat')) : '';
      const usec = Number(/^usage_usec (\d+)$/m.exec(cpu)?.[1] ?? 0);
      const io = parseIoStat(host.exists(join(dir, 'io.stat')) ? await host.readFile(join(dir, 'io.stat')) : '');
      return {
        blockReadBytes: io.read,
        blockWriteBytes: io.write,
        memoryBytes: (await readNumber(host, join(dir, 'memory.current'))) ?? 0,
        memoryLimitBytes: await readNumber(host, join(dir, 'memory.max')),
        cpuNanos: usec * 1000,
        pids: (await readNumber(host, join(dir, 'pids.current'))) ?? 0,
      };
    },
    async killAll() {
      await writeUnlessGone(host, join(dir, 'cgroup.kill'), '1');
      await waitEmpty(host, procs);
    },
    remove: () => removeDir(host, dir),
    freeze: () => v2Freeze(host, dir, true),
    thaw: () => v2Freeze(host, dir, false),
  };
}

async function enableControllers(host: Host, level: string): Promise<void> {
  const available = (await host.readFile(join(level, 'cgroup.controllers'))).split(/\s+/);
  const enabled = (await host.readFile(join(level, 'cgroup.subtree_control'))).split(/\s+/);
  const missing = WANTED.filter((c) => available.includes(c) && !enabled.includes(c));
  if (missing.length > 0)
    await host.writeFile(join(level, 'cgroup.subtree_control'), missing.map((c) => `+${c}`).join(' '));
}
