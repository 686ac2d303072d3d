// A long-running `gantry watch` / `up --watch` for the watch e2e tests: started in the
// background, its stderr kept, waited on by pattern, stopped with SIGINT like Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { GANTRY_BIN } from './cli.ts';

export interface WatchRun {
  readonly child: ChildProcess;
  stderr(): string;
  stdout(): string;
  /** Resolves when stderr matches `re` (count: that many matches), else rejects after timeoutMs. */
  waitFor(re: RegExp, o?: { timeoutMs?: number; count?: number }): Promise<void>;
  /** SIGINT, then the exit code. */
  interrupt(): Promise<number>;
}

export function startWatchCli(args: readonly string[], o: { cwd: string; env: Readonly<Record<string, string>> }): WatchRun {
  const child = spawn(process.execPath, ['--', GANTRY_BIN, ...args], { cwd: o.cwd, env: { ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number>((r) => child.on('close', (code, sig) => r(code ?? (sig ? 128 : 1))));
  return {
    child,
    stderr: () => err,
    stdout: () => out,
    async waitFor(re, w = {}) {
      const deadline = Date.now() + (w.timeoutMs ?? 60_000);
      const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
      while ((err.match(g)?.length ?? 0) < (w.count ?? 1)) {
        if (child.exitCode !== null) throw new Error(`gantry exited (${child.exitCode}) before ${re}: ${err}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${re} (x${w.count ?? 1}): ${err}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async interrupt() {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}
