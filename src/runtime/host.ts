// The runtime's only door to the kernel: the one place that starts external programs (execa, the
// C shim) and writes under /sys or /proc. Everything else takes a Host, so argument building and
// cgroup file logic can be tested against a temp directory or a recording host.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { promises as fs, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runCaptured } from '../common/run-captured.ts';

export interface SpawnedShim {
  readonly child: ChildProcess;
}

export interface Host {
  /** The C shim binary (named in errors so a failed start can be rerun by hand). */
  readonly shimPath: string;
  readFile(path: string): Promise<string>;
  writeFile(path: string, data: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  exists(path: string): boolean;
  /** Names of the directories in path (cgroup dirs hold dozens of control files besides). */
  subdirs(path: string): Promise<string[]>;
  /** Sends a signal; false when the process is gone. */
  kill(pid: number, signal: NodeJS.Signals | number): boolean;
  /** Starts the C shim with a plan file; fd 3 is the start report pipe. */
  spawnShim(plan: string, opts: { detached: boolean; stdio: 'inherit' | 'pipe' | 'ignore'; env: Readonly<Record<string, string>> }): ChildProcess;
  /** Runs a short-lived helper program (util-linux, iproute2). */
  run(cmd: string, args: readonly string[]): Promise<{ stdout: string; exitCode: number }>;
}

/**
 * The built shim: native/build/gantry-shim in the package root, found by walking up from this
 * module, because it runs from src/runtime/ (tests), dist/runtime/ (tsc) or dist/ (the CLI bundle).
 */
export function findShim(from: string = fileURLToPath(import.meta.url)): string {
  const rel = join('native', 'build', 'gantry-shim');
  let dir = dirname(from);
  for (let i = 0; i < 4; i++, dir = dirname(dir)) if (existsSync(join(dir, rel))) return join(dir, rel);
  return join(dirname(dirname(dirname(from))), rel); // not built: the spawn error names the expected place
}

export function nodeHost(shimPath: string = findShim()): Host {
  return {
    shimPath,
    readFile: (p) => fs.readFile(p, 'utf8'),
    writeFile: (p, d) => fs.writeFile(p, d),
    mkdir: async (p) => {
      await fs.mkdir(p, { recursive: true });
    },
    rmdir: (p) => fs.rmdir(p),
    exists: (p) => existsSync(p),
    subdirs: async (p) => (await fs.readdir(p, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name),
    kill: (pid, sig) => {
      try {
        process.kill(pid, sig);
        return true;
      } catch {
        return false;
      }
    },
    spawnShim: (plan, opts) => {
      const io: StdioOptions = [opts.stdio, opts.stdio, opts.stdio, 'pipe'];
      // Not our env: the container gets exactly the env in its plan; this one only reaches onexit.
      return spawn(shimPath, [plan, '3'], { detached: opts.detached, stdio: io, env: { ...opts.env } });
    },
    run: async (cmd, args) => {
      const r = await runCaptured(cmd, args);
      return { stdout: r.stdout, exitCode: r.spawnError === undefined ? r.exitCode : 1 };
    },
  };
}
