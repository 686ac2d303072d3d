// Test helpers for real namespaces: make (and always delete) netns, run the probe inside one,
// start servers inside one, and snapshot the host's network state for before/after checks.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';

const run = promisify(execFile);
const PROBE = fileURLToPath(new URL('./netns-probe.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));

export const isRoot = (): boolean => process.getuid?.() === 0;

export async function sh(cmd: string, args: readonly string[]): Promise<string> {
  return (await run(cmd, args, { maxBuffer: 64 << 20 })).stdout;
}

/** Creates `ip netns` NAME (unique per test process) and deletes it after the test, pass or fail. */
/** The host's iptables lines that name this bridge (what a network's rules left, or not). */
export const bridgeRules = (bridge: string): string[] =>
  execFileSync('iptables-save', [], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(bridge));

export type Defer = (fn: () => Promise<unknown> | unknown) => void;

export async function makeNetns(defer: Defer, tag: string): Promise<{ name: string; path: string }> {
  const name = `gtest-${process.pid}-${tag}`;
  await sh('ip', ['netns', 'add', name]);
  defer(() => (existsSync(`/run/netns/${name}`) ? sh('ip', ['netns', 'del', name]) : undefined)); // a test may delete it itself
  return { name, path: `/run/netns/${name}` };
}

/** Runs the probe inside ns; resolves with its stdout line (ok or "error CODE"). */
export async function probe(ns: string, args: readonly string[]): Promise<string> {
  const r = await run('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', PROBE, ...args], {
    cwd: REPO,
  }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? 'error spawn' }));
  return r.stdout.trim();
}

/** Starts a probe server inside ns, waits for "ready", and kills it (by pid) after the test. */
export async function serveIn(defer: Defer, ns: string, args: readonly string[]): Promise<ChildProcess> {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', PROBE, ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  defer(() => void child.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.on('exit', (code) => reject(new Error(`probe server in ${ns} exited with ${code}`)));
  });
  return child;
}

export interface HostSnapshot {
  readonly lines: readonly string[];
}

/**
 * Links, namespaces, routes (all tables) and firewall rules, one line each. Empty built-in chains
 * are left out: iptables-nft creates the empty filter/nat tables on first use, and they hold nothing.
 */
export async function hostSnapshot(): Promise<HostSnapshot> {
  const links = (JSON.parse(await sh('ip', ['-j', 'link', 'show'])) as { ifname: string }[]).map(
    (l) => `link ${l.ifname}`,
  );
  const netns = (await sh('ip', ['netns', 'list']))
    .split('\n')
    .filter(Boolean)
    .map((l) => `netns ${l}`);
  const routes = (JSON.parse(await sh('ip', ['-j', 'route', 'show', 'table', 'all'])) as Record<string, unknown>[]).map(
    (r) => `route ${r['type'] ?? ''} ${r['dst']} ${r['dev'] ?? ''} ${r['table'] ?? ''}`,
  );
  const rules = (await sh('iptables-save', []))
    .split('\n')
    .filter((l) => l.startsWith('-A ') || /^:\S+ - /.test(l))
    .map((l) => `iptables ${l}`);
  const nft = (await sh('nft', ['list', 'tables']))
    .split('\n')
    .filter((l) => l.startsWith('table ') && !/^table ip (filter|nat|mangle|raw)$/.test(l))
    .map((l) => `nft ${l}`);
  return { lines: [...links, ...netns, ...routes, ...rules, ...nft] };
}

/** Lines added or removed between two snapshots that mention any of the given names. */
export function leaks(before: HostSnapshot, after: HostSnapshot, names: readonly string[]): readonly string[] {
  const b = new Set(before.lines);
  const a = new Set(after.lines);
  // A line naming another gantry bridge belongs to a test running beside this one, even when it
  // shares a subnet with ours (pools hand the same subnet out again once it is freed).
  const ours = new Set(names);
  const otherBridge = (l: string): boolean => [...l.matchAll(/\bgt-[0-9a-f]{12}\b/g)].some((m) => !ours.has(m[0]));
  const mine = (l: string): boolean => names.some((n) => l.includes(n)) && !otherBridge(l);
  return [
    ...after.lines.filter((l) => !b.has(l)).map((l) => `+ ${l}`),
    ...before.lines.filter((l) => !a.has(l)).map((l) => `- ${l}`),
  ].filter(mine);
}

/**
 * Cleanup in reverse order of creation (node:test runs t.after hooks first-in first-out), going
 * on past failures and reporting the first one at the end.
 */
export function cleanupStack(t: TestContext): Defer {
  const stack: (() => Promise<unknown> | unknown)[] = [];
  t.after(async () => {
    let first: unknown;
    for (const fn of stack.reverse()) {
      try {
        await fn();
      } catch (e) {
        first ??= e;
      }
    }
    if (first !== undefined) throw first;
  });
  return (fn) => void stack.push(fn);
}

/** A temporary state root for one test, removed at cleanup. */
export async function tempRoot(defer: Defer, tag: string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), `gantry-net-${tag}-${process.pid}-`));
  defer(() => rm(root, { recursive: true, force: true }));
  return root;
}
