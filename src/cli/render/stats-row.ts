// Docker's stats cells: memory in binary units (MiB), I/O in decimal ones (kB), four significant
// digits, and the JSON field names of `docker stats --format json`.
import type { StatsSample } from '../../engine/index.ts';

function sized(bytes: number, base: number, units: readonly string[]): string {
  let v = bytes;
  let u = 0;
  while (v >= base && u < units.length - 1) {
    v /= base;
    u++;
  }
  return `${Number(v.toPrecision(4))}${units[u]}`;
}

export const binarySize = (b: number): string => sized(b, 1024, ['B', 'KiB', 'MiB', 'GiB', 'TiB']);
export const decimalSize = (b: number): string => sized(b, 1000, ['B', 'kB', 'MB', 'GB', 'TB']);

export interface StatsRow {
  readonly ID: string;
  readonly Name: string;
  readonly CPUPerc: string;
  readonly MemUsage: string;
  readonly MemPerc: string;
  readonly NetIO: string;
  readonly BlockIO: string;
  readonly PIDs: string;
}

export function statsRow(s: StatsSample): StatsRow {
  return {
    ID: s.name,
    Name: s.name,
    CPUPerc: `${s.cpuPercent.toFixed(2)}%`,
    MemUsage: `${binarySize(s.memoryBytes)} / ${binarySize(s.memoryLimitBytes)}`,
    MemPerc: `${s.memoryPercent.toFixed(2)}%`,
    NetIO: `${decimalSize(s.netRxBytes)} / ${decimalSize(s.netTxBytes)}`,
    BlockIO: `${decimalSize(s.blockReadBytes)} / ${decimalSize(s.blockWriteBytes)}`,
    PIDs: String(s.pids),
  };
}

export const STATS_HEAD = ['NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I/O', 'PIDS'];
export const statsCells = (r: StatsRow): string[] => [
  r.Name,
  r.CPUPerc,
  r.MemUsage,
  r.MemPerc,
  r.NetIO,
  r.BlockIO,
  r.PIDs,
];
