// A long-running `gantry watch` / `up --watch` for the watch e2e tests: started in the
// background, its stderr kept, waited on by pattern, stopped with SIGINT like Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GANTRY_BIN } from './cli.ts';
import { e2eRoot, type E2eRoot } from './engine-e2e.ts';

export interface WatchRun {
  readonly child: ChildProcess;
  stderr(): string;
  stdout(): string;
  /** Resolves when stderr matches `re` (count: that many matches), else rejects after timeoutMs. */
  waitFor(re: RegExp, o?: { timeoutMs?: number; count?: number }): Promise<void>;
  /** SIGINT, then the exit code. */
  interrupt(): Promise<number>;
}

export function startWatchCli(
  args: readonly string[],
  o: { cwd: string; env: Readonly<Record<string, string>> },
): WatchRun {
  const child = spawn(process.execPath, ['--', GANTRY_BIN, ...args], {
    cwd: o.cwd,
    env: { ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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

export const TEST_IMAGE = 'gantry-test/busybox:latest';

/** A project being watched: its e2e root, its directory, and the running `gantry watch`. */
export interface Watched {
  readonly r: E2eRoot;
  readonly dir: string;
  readonly w: WatchRun;
}

/**
 * The set-up of every watch e2e test: an e2e root, the project `make` writes in it, its `dirs`
 * made, then `gantry ARGS` (default `watch`) started and waited on until it says "Watch enabled";
 * it is stopped (SIGINT) after the test.
 */
export async function watchedProject(
  t: { after(fn: () => unknown): void },
  make: (r: E2eRoot) => string,
  o: { dirs?: readonly string[]; args?: readonly string[]; readyMs?: number } = {},
): Promise<Watched> {
  const r = await e2eRoot(t.after.bind(t));
  const dir = make(r);
  for (const d of o.dirs ?? []) mkdirSync(join(dir, d), { recursive: true });
  const w = startWatchCli(o.args ?? ['watch'], { cwd: dir, env: r.env });
  t.after(() => void w.interrupt());
  await w.waitFor(/^Watch enabled$/m, { timeoutMs: o.readyMs ?? 120_000 });
  return { r, dir, w };
}

/** How many lines of text match re. */
export const countLines = (text: string, re: RegExp): number => text.match(new RegExp(re.source, 'gm'))?.length ?? 0;

/** The root of the container whose environment holds NAME=mark, seen from the host (/proc/PID/root). */
export function containerRoot(name: string, mark: string): string {
  for (const p of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      if (readFileSync(`/proc/${p}/environ`, 'utf8').includes(`${name}=${mark}\0`)) return `/proc/${p}/root`;
    } catch {
      // gone meanwhile
    }
  }
  throw new Error(`no container with ${name}=${mark}`);
}

/**
 * A project whose `web` sleeps with the given develop.watch rules (YAML list items, indented
 * 8 spaces); `webKeys` are more keys of web (indented 4), `services` more services (indented 2).
 */
export function sleeperProject(
  r: E2eRoot,
  name: string,
  o: { watch: string; webKeys?: string; services?: string },
): string {
  return r.project(name, {
    'compose.yaml': `name: ${name}
services:
  web:
    image: ${TEST_IMAGE}
    command: ["sleep", "3600"]
${o.webKeys ?? ''}    develop:
      watch:
${o.watch}${o.services ?? ''}`,
  });
}

/** A project whose `app` is built from ./app (made, with `files` in it) and rebuilt on every change there. */
export function rebuildProject(r: E2eRoot, name: string, files: Record<string, string>, services = ''): string {
  const dir = r.project(name, {
    'compose.yaml': `name: ${name}
services:
  app:
    build: ./app
    develop:
      watch:
        - path: ./app
          action: rebuild
${services}`,
  });
  mkdirSync(join(dir, 'app'));
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, 'app', f), text);
  return dir;
}

/** `sh -c script` in the service; its stdout. */
export async function shIn(r: E2eRoot, dir: string, service: string, script: string): Promise<string> {
  return (await r.gantry(['exec', service, 'sh', '-c', script], { cwd: dir })).stdout;
}

/** Runs `sh -c script` in the service until its stdout equals `want` (a sync lands asynchronously). */
export async function untilIn(
  r: E2eRoot,
  dir: string,
  service: string,
  script: string,
  want: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const res = await r.gantry(['exec', service, 'sh', '-c', script], { cwd: dir });
    last = res.stdout + res.stderr;
    if (res.stdout === want) return;
    await new Promise((res2) => setTimeout(res2, 100));
  }
  throw new Error(`${service}: ${script}: wanted ${JSON.stringify(want)}, last ${JSON.stringify(last)}`);
}
