// The network module's only door to the kernel: every `ip`, `nsenter`, iptables-restore and nft
// call goes through a NetHost, so the logic above it is unit-testable with a recording host.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { RuntimeError } from '../common/errors.ts';
import { runCaptured } from '../common/run-captured.ts';
import { executableOnPath } from '../common/on-path.ts';
import { ipBatches, ipHostThenBatches, netlinkHostBatch, type IpJob } from './ip-batches.ts';
import { ipDeleteBatch, ipDeleteBatchWithRules, type Deleted } from './ip-delete-batch.ts';
import { makeWithRules, type MadeTogether } from './netlink-make.ts';
import type { FirewallKind } from './types.ts';

export interface InsideBatch {
  readonly lines: readonly string[];
  readonly netnsPath: string;
}

export interface NetHost {
  /** Runs `ip -batch -` (inside the namespace at netnsPath when given); stops at the first error. */
  ipBatch(lines: readonly string[], netnsPath?: string): Promise<void>;
  /**
   * Runs one batch in each namespace, all through one process where the host can; returns each
   * batch's error (undefined when it succeeded). Without it, callers run ipBatch per namespace.
   */
  ipBatchesInside?(jobs: readonly InsideBatch[]): Promise<readonly (unknown | undefined)[]>;
  /**
   * A host batch, then (only if it succeeded: `host` undefined) one batch in each namespace, in one
   * process where the host can. Without it, callers run ipBatch then ipBatchesInside.
   */
  ipHostThenInside?(hostLines: readonly string[], jobs: readonly InsideBatch[]): Promise<HostThenInside>;
  /**
   * ipBatch for a batch that deletes `deleted` (links, namespaces), returning once they are gone:
   * when the shim's netlink executor exits (the kernel done), or on its `ip` fallback once sysfs lets
   * go, before `ip` exits (ip-delete-batch.ts, netlink-delete.ts).
   */
  ipDeleteBatch?(lines: readonly string[], deleted: Deleted): Promise<void>;
  /**
   * ipDeleteBatch and iptablesRestore(rules) started together by one child where the host can (a
   * teardown's links and rules: one fork of the CLI, not two). Without it, callers run both.
   */
  ipDeleteBatchWithRules?(
    lines: readonly string[],
    deleted: Deleted,
    rules: string,
  ): { readonly links: Promise<void>; readonly rules: Promise<void> };
  /**
   * ipBatch(lines) on the host and iptablesRestore(rules) started together by one child where the
   * host can (a network's bridge and rules: one fork of the CLI, not two). Without it, callers run both.
   */
  ipBatchWithRules?(lines: readonly string[], rules: string): MadeTogether;
  /** Runs `ip -j ARGS` and returns the parsed JSON. */
  ipJson(args: readonly string[]): Promise<unknown>;
  /** /proc/net/fib_trie (every routing table), instead of `ip -j route show table all` where the host can. */
  routeTrie?(): Promise<string>;
  /** Names of the host namespace's links, without an `ip` run where the host can (sysfs). */
  linkNames?(): Promise<ReadonlySet<string>>;
  detectFirewall(): Promise<FirewallKind>;
  iptablesSave(): Promise<string>;
  /** Applies a batch with `iptables-restore -w --noflush` (all or nothing). */
  iptablesRestore(text: string): Promise<void>;
  /** Applies a script with `nft -f -` (atomic). */
  nft(script: string): Promise<void>;
  nftTables(): Promise<readonly string[]>;
  readSysctl(key: string): Promise<string>;
  writeSysctl(key: string, value: string): Promise<void>;
}

export interface HostThenInside {
  readonly host?: unknown;
  readonly inside: readonly (unknown | undefined)[];
}

const netnsName = (path: string): string | undefined => /^\/run\/netns\/([^/]+)$/.exec(path)?.[1];
const sysctlPath = (key: string): string => `/proc/sys/${key.replaceAll('.', '/')}`;

async function run(file: string, args: readonly string[], input?: string): Promise<string> {
  const r = await runCaptured(file, args, input ?? '');
  if (r.exitCode !== 0 || r.spawnError !== undefined) {
    const why = (r.stderr || r.stdout || r.spawnError || `exit code ${r.exitCode}`)
      .trim()
      .split('\n')
      .slice(0, 3)
      .join('; ');
    throw new RuntimeError(`network: \`${[file, ...args].join(' ')}\` failed: ${why}`);
  }
  return r.stdout;
}

async function succeeds(file: string, args: readonly string[]): Promise<boolean> {
  const r = await runCaptured(file, args);
  return r.exitCode === 0 && r.spawnError === undefined;
}

/** The real host. Batches are fed on stdin, so nothing user-given is ever parsed by a shell. */
export function systemHost(): NetHost {
  return {
    async ipBatch(lines, netnsPath) {
      if (lines.length === 0) return;
      const input = lines.join('\n') + '\n';
      // `ip -n` only takes names under /run/netns (and saves a process); nsenter takes any path
      // (/proc/PID/ns/net too).
      const named = netnsPath === undefined ? undefined : netnsName(netnsPath);
      if (netnsPath === undefined) {
        if (!(await netlinkHostBatch(lines))) await run('ip', ['-batch', '-'], input);
      } else if (named !== undefined) await run('ip', ['-n', named, '-batch', '-'], input);
      else await run('nsenter', [`--net=${netnsPath}`, '--', 'ip', '-batch', '-'], input);
    },
    async ipBatchesInside(jobs) {
      const named: IpJob[] = [];
      const slots = jobs.map((j) => {
        const netns = netnsName(j.netnsPath);
        if (netns === undefined) return undefined;
        named.push({ netns, lines: j.lines });
        return named.length - 1;
      });
      const [errors, others] = await Promise.all([
        ipBatches(named),
        Promise.all(
          jobs.map((j, i) =>
            slots[i] !== undefined
              ? undefined
              : this.ipBatch(j.lines, j.netnsPath).then(
                  () => undefined,
                  (e: unknown) => e,
                ),
          ),
        ),
      ]);
      return jobs.map((_, i) => (slots[i] !== undefined ? errors[slots[i]] : others[i]));
    },
    async ipHostThenInside(hostLines, jobs) {
      const named = jobs.map((j) => netnsName(j.netnsPath));
      if (named.every((n) => n !== undefined)) {
        const r = await ipHostThenBatches(
          hostLines,
          jobs.map((j, i) => ({ netns: named[i]!, lines: j.lines })),
        );
        return r.host !== undefined ? { host: r.host, inside: r.jobs } : { inside: r.jobs };
      }
      try {
        await this.ipBatch(hostLines);
      } catch (e) {
        return { host: e, inside: jobs.map(() => undefined) };
      }
      return { inside: await this.ipBatchesInside!(jobs) };
    },
    ipDeleteBatch,
    ipDeleteBatchWithRules,
    ipBatchWithRules(lines, rules) {
      return makeWithRules(lines, rules, {
        links: () => this.ipBatch(lines),
        rules: () => this.iptablesRestore(rules),
      });
    },
    async ipJson(args) {
      const out = await run('ip', ['-j', ...args]);
      return out.trim() === '' ? [] : (JSON.parse(out) as unknown);
    },
    // A file read instead of the one `ip -j route show table all` process of each network created
    // (a fork of the ≈ 100 MB CLI; bench/RESULTS.md, net20). Our namespace's, as /proc/self/net is.
    routeTrie: () => readFile('/proc/net/fib_trie', 'utf8'),
    // /sys/class/net lists the links of the namespace sysfs was mounted in, which is ours: a
    // directory read instead of an `ip -j link show` process (≈ 12–14 ms here, several per down).
    async linkNames() {
      return new Set(await readdir('/sys/class/net'));
    },
    async detectFirewall() {
      // Looked up, not run: `iptables -V` was one more fork of the CLI per network created, and
      // it only ever said whether the program is there.
      if (executableOnPath('iptables')) return 'iptables';
      if (await succeeds('nft', ['--version'])) return 'nft';
      return 'none';
    },
    iptablesSave: () => run('iptables-save', []),
    async iptablesRestore(text) {
      await run('iptables-restore', ['-w', '--noflush'], text);
    },
    async nft(script) {
      await run('nft', ['-f', '-'], script);
    },
    async nftTables() {
      const out = await run('nft', ['list', 'tables']);
      return out
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.startsWith('table '));
    },
    async readSysctl(key) {
      return (await readFile(sysctlPath(key), 'utf8')).trim();
    },
    async writeSysctl(key, value) {
      await writeFile(sysctlPath(key), value);
    },
  };
}
