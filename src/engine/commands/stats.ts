// `stats`: resource samples of the project's containers. CPU % is Docker's: CPU time used over
// wall time between two samples (100 % = one core busy), so every figure needs an interval.
import { totalmem } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import type { ContainerStats, Runtime } from '../../runtime/index.ts';
import { LABELS } from '../labels.ts';
import { byCodeUnit } from '../../common/compare.ts';

/** One sample of a container's counters. */
export interface StatsSample {
  readonly name: string;
  readonly service: string;
  readonly cpuPercent: number;
  readonly memoryBytes: number;
  /** The cgroup's limit, or the host's memory when there is none (as Docker shows it). */
  readonly memoryLimitBytes: number;
  readonly memoryPercent: number;
  readonly netRxBytes: number;
  readonly netTxBytes: number;
  readonly blockReadBytes: number;
  readonly blockWriteBytes: number;
  readonly pids: number;
}

/** `gantry stats` flags as options. */
export interface StatsRequest {
  readonly services?: readonly string[];
  /** Stopped containers too (their figures are zeros). */
  readonly all?: boolean;
  /** Keep sampling until the signal aborts; else one round. */
  readonly stream?: boolean;
  readonly intervalMs?: number;
  readonly signal?: AbortSignal;
  /** Called for each sample. */
  readonly onSample: (rows: readonly StatsSample[]) => void;
}

interface Reading {
  readonly at: number;
  readonly s: ContainerStats | undefined;
}

const ZERO: ContainerStats = {
  memoryBytes: 0,
  memoryLimitBytes: undefined,
  cpuNanos: 0,
  pids: 0,
  blockReadBytes: 0,
  blockWriteBytes: 0,
  netRxBytes: 0,
  netTxBytes: 0,
};

export function cpuPercent(prev: Reading | undefined, cur: Reading): number {
  if (!prev?.s || !cur.s || cur.at <= prev.at) return 0;
  return Math.max(0, ((cur.s.cpuNanos - prev.s.cpuNanos) / ((cur.at - prev.at) * 1e6)) * 100);
}

export function toSample(
  name: string,
  service: string,
  prev: Reading | undefined,
  cur: Reading,
  hostMemory = totalmem(),
): StatsSample {
  const s = cur.s ?? ZERO;
  const limit = s.memoryLimitBytes !== undefined && s.memoryLimitBytes < hostMemory ? s.memoryLimitBytes : hostMemory;
  return {
    name,
    service,
    cpuPercent: cpuPercent(prev, cur),
    memoryBytes: s.memoryBytes,
    memoryLimitBytes: limit,
    memoryPercent: limit > 0 ? (s.memoryBytes / limit) * 100 : 0,
    netRxBytes: s.netRxBytes,
    netTxBytes: s.netTxBytes,
    blockReadBytes: s.blockReadBytes,
    blockWriteBytes: s.blockWriteBytes,
    pids: s.pids,
  };
}

export async function projectStats(
  rt: Pick<Runtime, 'list' | 'stats'>,
  project: string,
  req: StatsRequest,
): Promise<void> {
  const interval = req.intervalMs ?? (req.stream ? 1000 : 500);
  const prev = new Map<string, Reading>();
  const round = async (): Promise<{ name: string; service: string; r: Reading }[]> => {
    const mine = (await rt.list())
      .filter((c) => c.labels[LABELS.project] === project && c.labels[LABELS.oneOff] !== 'True')
      .filter((c) => !req.services?.length || req.services.includes(c.labels[LABELS.service] ?? ''))
      .filter((c) => req.all === true || c.status === 'running')
      .sort((a, b) => byCodeUnit(a.id, b.id));
    return Promise.all(
      mine.map(async (c) => {
        const s = c.status === 'running' ? await rt.stats(c.id).catch(() => undefined) : undefined;
        return { name: c.id, service: c.labels[LABELS.service] ?? '', r: { at: performance.now(), s } };
      }),
    );
  };
  for (const x of await round()) prev.set(x.name, x.r);
  do {
    await delay(interval, undefined, req.signal ? { signal: req.signal } : {}).catch(() => undefined);
    if (req.signal?.aborted) return;
    const now = await round();
    req.onSample(now.map((x) => toSample(x.name, x.service, prev.get(x.name), x.r)));
    for (const x of now) prev.set(x.name, x.r);
  } while (req.stream && !req.signal?.aborted);
}
