// Helpers of the "bounds" attack class: a process's peak resident memory, the live supervisor's
// pid of a project, and running the CLI with a signal sent to it after a delay.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GANTRY_BIN } from './cli.ts';

export const FULL = process.env['GANTRY_ATTACKS_FULL'] === '1';
export const IMG = 'gantry-test/busybox:latest';
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const LISTEN_MARK = new URL('./signal-listen-mark.mjs', import.meta.url).pathname;

/** VmHWM (peak RSS) or VmRSS of a process, in MiB; undefined once it is gone. */
export function memMiB(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export function supervisorPid(root: string, project: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(root, 'projects', project, 'supervisor.pid'), 'utf8').split(' ')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export interface TimedRun {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly ms: number;
  /** Milliseconds from the (first) signal to the exit; undefined when no signal was sent. */
  readonly afterSignalMs: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
  readonly peakMiB: number;
}

/**
 * Runs the CLI, samples its peak RSS, and sends `signals` (each after its delay from the start, and not before the
 * command listens for it: under load node's start alone can outlast the delay); SIGKILLs it at `killMs`.
 */
export function runTimed(
  args: readonly string[],
  o: {
    env: Readonly<Record<string, string>>;
    cwd: string;
    signals?: readonly [number, NodeJS.Signals][];
    killMs?: number;
  },
): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const markDir = mkdtempSync(join(tmpdir(), 'sigmark-'));
    const mark = join(markDir, 'listening');
    const child = spawn(process.execPath, ['--import', LISTEN_MARK, '--', GANTRY_BIN, ...args], {
      cwd: o.cwd,
      env: { ...o.env, GANTRY_TEST_LISTEN_MARK: mark },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    let signalled: number | undefined;
    child.stdout.on('data', (d: Buffer) => (stdout.length < 1 << 20 ? (stdout += d.toString()) : undefined));
    child.stderr.on('data', (d: Buffer) => (stderr.length < 1 << 20 ? (stderr += d.toString()) : undefined));
    const sample = setInterval(() => (peak = Math.max(peak, memMiB(child.pid!, 'VmHWM') ?? 0)), 20);
    const listening = (sig: NodeJS.Signals): boolean => {
      try {
        return readFileSync(mark, 'utf8').split('\n').includes(sig);
      } catch {
        return false;
      }
    };
    const timers: NodeJS.Timeout[] = [];
    for (const [ms, sig] of o.signals ?? []) {
      const send = (): void => {
        if (!listening(sig)) return void timers.push(setTimeout(send, 10));
        signalled ??= Date.now();
        child.kill(sig);
      };
      timers.push(setTimeout(send, ms));
    }
    const kill = setTimeout(() => child.kill('SIGKILL'), o.killMs ?? 120_000);
    child.on('error', reject);
    child.on('exit', () => (peak = Math.max(peak, memMiB(child.pid!, 'VmHWM') ?? 0)));
    child.on('close', (exitCode, signal) => {
      clearInterval(sample);
      clearTimeout(kill);
      for (const t of timers) clearTimeout(t);
      rmSync(markDir, { recursive: true, force: true });
      const end = Date.now();
      resolve({
        exitCode,
        signal,
        ms: end - t0,
        afterSignalMs: signalled === undefined ? undefined : end - signalled,
        stdout,
        stderr,
        peakMiB: peak,
      });
    });
  });
}
