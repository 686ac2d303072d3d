// A container's resource figures: the cgroup's counters plus its network namespace's interface
// counters, read through PID 1's /proc/PID/net/dev (the netns view, not the host's).
import { readFileSync } from 'node:fs';
import type { RuntimeContext } from './context.ts';
import type { CgroupStats } from './cgroups/index.ts';
import { isAlive } from './container.ts';

export interface ContainerStats extends CgroupStats {
  readonly netRxBytes: number;
  readonly netTxBytes: number;
}

/** Received and transmitted bytes of every interface but loopback. */
export function parseNetDev(text: string): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  for (const line of text.split('\n').slice(2)) {
    const m = /^\s*([^:\s]+):\s*(.*)$/.exec(line);
    if (!m || m[1] === 'lo') continue;
    const f = m[2]!.trim().split(/\s+/).map(Number);
    rx += f[0] ?? 0;
    tx += f[8] ?? 0;
  }
  return { rx, tx };
}

export async function containerStats(ctx: RuntimeContext, id: string): Promise<ContainerStats> {
  const { stored } = ctx.load(id);
  const cg = await (await ctx.cgroup(id)).stats();
  let net = { rx: 0, tx: 0 };
  if (isAlive(stored)) {
    try {
      net = parseNetDev(readFileSync(`/proc/${stored.pid}/net/dev`, 'utf8'));
    } catch {} // exited between the check and the read
  }
  return { ...cg, netRxBytes: net.rx, netTxBytes: net.tx };
}
