// The one cgroup interface the runtime uses; v1 and v2 implement it (detect.ts picks).
import type { ResourceSpec } from '../spec.ts';

export interface CgroupStats {
  readonly memoryBytes: number;
  readonly memoryLimitBytes: number | undefined;
  readonly cpuNanos: number;
  readonly pids: number;
  readonly blockReadBytes: number;
  readonly blockWriteBytes: number;
}

export interface ContainerCgroup {
  /** cgroup.procs files the container's first process joins (by writing "0") before exec. */
  readonly procsFiles: readonly string[];
  /** What the container sees under /sys/fs/cgroup: name ('' = the mount itself, v2) → its own group dir. */
  readonly views: readonly { readonly name: string; readonly dir: string }[];
  /** The file whose `oom_kill N` line counts OOM kills (copied by the shim at exit). */
  readonly oomFile: string | undefined;
  create(limits: ResourceSpec): Promise<void>;
  pids(): Promise<number[]>;
  stats(): Promise<CgroupStats>;
  /** Kills every process in the group and waits until it is empty. */
  killAll(): Promise<void>;
  /** Removes the group's directories; missing ones are fine. */
  remove(): Promise<void>;
  /** Freezer: stops every process of the group (they show as frozen, state D) until thawed. */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
}

export interface CgroupDriver {
  readonly layout: 'v1' | 'v2' | 'hybrid';
  forContainer(name: string): ContainerCgroup;
  /** Names of the groups under gantry/ in any hierarchy ending with `suffix` (for garbage collection). */
  listNames(suffix?: string): Promise<string[]>;
}

/** `oom_kill N` from memory.events (v2) or memory.oom_control (v1). */
export function parseOomKills(text: string): number {
  const m = /^oom_kill (\d+)$/m.exec(text);
  return m ? Number(m[1]) : 0;
}

/** Parses "a\nb\n" pid lists. */
export function parsePids(text: string): number[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map(Number);
}

/** v2 io.stat: "8:0 rbytes=N wbytes=N rios=…" per device, summed. */
export function parseIoStat(text: string): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const m of text.matchAll(/\brbytes=(\d+)/g)) read += Number(m[1]);
  for (const m of text.matchAll(/\bwbytes=(\d+)/g)) write += Number(m[1]);
  return { read, write };
}

/** v1 blkio.throttle.io_service_bytes: "8:0 Read N" / "8:0 Write N" per device, summed. */
export function parseBlkio(text: string): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const m of text.matchAll(/^\S+ (Read|Write) (\d+)$/gm)) {
    if (m[1] === 'Read') read += Number(m[2]);
    else write += Number(m[2]);
  }
  return { read, write };
}
