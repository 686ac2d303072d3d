// The runtime's only door to the kernel: the one place that starts external programs (execa, the
// C shim) and writes under /sys or /proc. Everything else takes a Host, so argument building and
// cgroup file logic can be tested against a temp directory or a recording host.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import {
  closeSync,
  type Dirent,
  existsSync,
  mkdir,
  mkdirSync,
  openSync,
  readdir,
  readdirSync,
  readFile,
  readFileSync,
  rmdir,
  rmdirSync,
  writeFile,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { runCaptured } from '../common/run-captured.ts';
import { shimBinary } from '../common/shim-binary.ts';
import { ShimSpawner, type SpawnedShim } from './process/shim-spawner.ts';

export interface Host {
  /** The C shim binary (named in errors so a failed start can be rerun by hand). */
  readonly shimPath: string;
  readFile(path: string): Promise<string>;
  writeFile(path: string, data: string): Promise<void>;
  /** Each value in its own write(2) through one open of path (cgroup v1 takes one rule per write). */
  writeEach?(path: string, values: readonly string[]): Promise<void>;
  mkdir(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  exists(path: string): boolean;
  /** Names of the directories in path (cgroup dirs hold dozens of control files besides). */
  subdirs(path: string): Promise<string[]>;
  /** Sends a signal; false when the process is gone. */
  kill(pid: number, signal: NodeJS.Signals | number): boolean;
  /** Starts the C shim with a plan file; fd 3 is the start report pipe. */
  spawnShim(
    plan: string,
    opts: { detached: boolean; stdio: 'inherit' | 'pipe' | 'ignore'; env: Readonly<Record<string, string>> },
  ): ChildProcess;
  /**
   * Starts the shim detached on a plan, through a small long-lived spawner (shim-spawner.ts), and
   * returns its pid and report line. Without it, detached starts spawn the shim as spawnShim does.
   */
  startShim?(plan: string): Promise<SpawnedShim>;
  /** Keeps startShim's spawner until the function returned is called (ShimSpawner.hold). */
  holdSpawner?(): () => void;
  /** Runs a short-lived helper program (util-linux, iproute2). */
  run(cmd: string, args: readonly string[]): Promise<{ stdout: string; exitCode: number }>;
}

type Done<T> = (err: NodeJS.ErrnoException | null, value: T) => void;

/**
 * fs's callback API under a promise of our own: fs.promises would load node:fs/promises' internals
 * (readline, streams: 2.5–3.9 ms CPU at load 12, after child_process) into every `exec`, for its
 * one read of /proc/self/mountinfo (issue 20, bench/RESULTS.md "exec20").
 */
const settle = <T>(start: (done: Done<T>) => void): Promise<T> =>
  new Promise((resolve, reject) => start((err, value) => (err ? reject(err) : resolve(value))));
const settleVoid = (start: (done: (err: NodeJS.ErrnoException | null) => void) => void): Promise<void> =>
  settle<void>((done) => start((err) => done(err, undefined)));

const KERNEL_FILES = /^\/(proc|sys)\//;

/**
 * The kernel's own files and directories (/proc, /sys: cgroups) on this thread, anything else through
 * libuv's pool: they never wait on a disk, and each pool operation is a round trip between the loop and
 * a worker. A warm `container run --rm` on cgroup v1 made 26 (8 mkdir, 8 rmdir, prune's 8 listings of
 * gantry/, devices.deny, cgroup.kill): issue 20, bench/RESULTS.md "run10". A write that makes the kernel
 * work (a lower memory limit reclaims) blocks the loop for that time, as runc's own writes do.
 */
const kernelNow = <T>(p: string, now: () => T, later: () => Promise<T>): Promise<T> =>
  KERNEL_FILES.test(p) ? new Promise<T>((resolve) => resolve(now())) : later();

/** The shim this install runs (see common/shim-binary.ts: prebuilt per arch, or built here). */
export function findShim(): string {
  return shimBinary();
}

const dirNames = (entries: readonly Dirent[]): string[] => entries.filter((e) => e.isDirectory()).map((e) => e.name);

export function nodeHost(explicitShim?: string): Host {
  // Resolved on first use: commands that never start a container must not fail (or compile the
  // shim) on an architecture without a prebuilt one.
  let shimPath = explicitShim;
  const shim = (): string => (shimPath ??= findShim());
  let spawner: ShimSpawner | undefined;
  return {
    get shimPath() {
      return shim();
    },
    // The kernel's own files (/proc, /sys: cgroups, mountinfo) are read synchronously: they never wait on
    // a disk, and an async read starts libuv's 4 pool threads for them. A warm exec's one such read
    // (/proc/self/mountinfo) was its only pool work: 6 round trips and 4 thread starts, 3.5 ms CPU in
    // a fresh process at load 7 (40 pairs, issue 20, bench/RESULTS.md "exec2").
    readFile: (p) =>
      kernelNow(
        p,
        () => readFileSync(p, 'utf8'),
        () => settle<string>((done) => readFile(p, 'utf8', done)),
      ),
    writeFile: (p, d) =>
      kernelNow(
        p,
        () => writeFileSync(p, d),
        () => settleVoid((done) => writeFile(p, d, done)),
      ),
    // Synchronous: a cgroup file write never waits on a disk, and 13 device rules written one
    // writeFile each were 39 thread-pool round trips per container on cgroup v1 (issue 20).
    writeEach: async (p, values) => {
      const fd = openSync(p, 'w');
      try {
        for (const v of values) writeSync(fd, v);
      } finally {
        closeSync(fd);
      }
    },
    mkdir: (p) =>
      kernelNow(
        p,
        () => void mkdirSync(p, { recursive: true }),
        () => settleVoid((done) => mkdir(p, { recursive: true }, done)),
      ),
    rmdir: (p) =>
      kernelNow(
        p,
        () => rmdirSync(p),
        () => settleVoid((done) => rmdir(p, done)),
      ),
    exists: (p) => existsSync(p),
    subdirs: (p) =>
      kernelNow(
        p,
        () => dirNames(readdirSync(p, { withFileTypes: true })),
        () =>
          settle<string[]>((done) => readdir(p, { withFileTypes: true }, (err, es) => done(err, dirNames(es ?? [])))),
      ),
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
      return spawn(shim(), [plan, '3'], { detached: opts.detached, stdio: io, env: { ...opts.env } });
    },
    startShim: (plan) => (spawner ??= new ShimSpawner(shim)).start(plan),
    holdSpawner: () => (spawner ??= new ShimSpawner(shim)).hold(),
    run: async (cmd, args) => {
      const r = await runCaptured(cmd, args);
      return { stdout: r.stdout, exitCode: r.spawnError === undefined ? r.exitCode : 1 };
    },
  };
}
