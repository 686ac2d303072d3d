// `top`: each running container's processes (its cgroup's members), in the columns of `ps -ef`
// as Compose shows them, read from /proc as the host sees them (host pids and user names).
import { readFileSync } from 'node:fs';
import type { EngineContext } from '../context.ts';
import { serviceContainers } from './lifecycle.ts';

export const TOP_TITLES = ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'] as const;

/** The processes of one container (`gantry top`). */
export interface TopEntry {
  readonly name: string;
  readonly titles: readonly string[];
  readonly processes: readonly (readonly string[])[];
}

/** The kernel reports times in USER_HZ, 100 on every Linux architecture gantry runs on. */
const HZ = 100;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

export interface ProcTexts {
  readonly pid: number;
  readonly stat: string;
  readonly status: string;
  readonly cmdline: string;
}

export interface Clock {
  readonly nowMs: number;
  readonly bootMs: number;
}

/** ps's TTY column from tty_nr: pts majors 136-143, virtual consoles major 4. */
function ttyName(nr: number): string {
  const major = (nr >> 8) & 0xfff;
  const minor = (nr & 0xff) | ((nr >> 12) & 0xfff00);
  if (nr === 0) return '?';
  if (major >= 136 && major <= 143) return `pts/${minor + (major - 136) * 256}`;
  return major === 4 ? `tty${minor}` : '?';
}

function cpuTime(ticks: number): string {
  const s = Math.floor(ticks / HZ);
  const days = Math.floor(s / 86400);
  const hms = `${pad(Math.floor((s % 86400) / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  return days > 0 ? `${days}-${hms}` : hms;
}

/** Today: HH:MM; this year: MonDD; else the year, as procps prints STIME. */
function startTime(startMs: number, nowMs: number): string {
  const d = new Date(startMs);
  const now = new Date(nowMs);
  if (d.toDateString() === now.toDateString()) return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return d.getFullYear() === now.getFullYear() ? `${MONTHS[d.getMonth()]}${pad(d.getDate())}` : String(d.getFullYear());
}

/** One `ps -ef` row from a process's /proc texts; pure, so the column rules are unit-tested. */
export function psRow(p: ProcTexts, clock: Clock, userOf: (uid: number) => string): string[] {
  const comm = p.stat.slice(p.stat.indexOf('(') + 1, p.stat.lastIndexOf(')'));
  const f = p.stat.slice(p.stat.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
  const num = (field: number) => Number(f[field - 3] ?? 0);
  const ticks = num(14) + num(15);
  const startMs = clock.bootMs + (num(22) * 1000) / HZ;
  const elapsed = Math.max((clock.nowMs - startMs) / 1000, 0.001);
  const uid = Number(/^Uid:\s+(\d+)/m.exec(p.status)?.[1] ?? 0);
  const args = p.cmdline.split('\0').filter((a, i, all) => a !== '' || i < all.length - 1);
  return [
    userOf(uid),
    String(p.pid),
    String(num(4)),
    String(Math.min(99, Math.floor((ticks / HZ / elapsed) * 100))),
    startTime(startMs, clock.nowMs),
    ttyName(num(7)),
    cpuTime(ticks),
    args.length > 0 ? args.join(' ') : `[${comm}]`,
  ];
}

function hostUsers(): (uid: number) => string {
  let passwd = '';
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {}
  const names = new Map(
    passwd
      .split('\n')
      .map((l) => l.split(':'))
      .filter((r) => r.length > 3)
      .map((r) => [Number(r[2]), r[0]!]),
  );
  return (uid) => names.get(uid) ?? String(uid);
}

function readProc(pid: number): ProcTexts | undefined {
  try {
    const at = (f: string) => readFileSync(`/proc/${pid}/${f}`, 'utf8');
    return { pid, stat: at('stat'), status: at('status'), cmdline: at('cmdline') };
  } catch {
    return undefined; // exited while we listed
  }
}

export async function topEntries(ctx: EngineContext, services?: readonly string[]): Promise<readonly TopEntry[]> {
  const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1] ?? 0);
  const clock = { nowMs: Date.now(), bootMs: btime * 1000 };
  const users = hostUsers();
  const running = (await serviceContainers(ctx, services)).filter(
    (s) => s.status === 'running' || s.status === 'paused',
  );
  return Promise.all(
    running.map(async (s) => {
      const pids = (await ctx.runtime.processes(s.id)).sort((a, b) => a - b);
      const processes = pids
        .map(readProc)
        .filter((p) => p !== undefined)
        .map((p) => psRow(p, clock, users));
      return { name: s.id, titles: TOP_TITLES, processes };
    }),
  );
}
