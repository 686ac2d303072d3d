// An `ip` batch that deletes links and namespaces, waited for until they are gone from the host, not
// until `ip` exits. Why: the kernel unlists a deleted link at once, then (rtnl released) waits out an
// RCU barrier before it answers: ≈ 35–40 ms of a 1-service down's 50 ms `ip` run here, the down's
// critical path (bench/RESULTS.md, down23). Nothing of the link is left to see or reuse by then (its
// name, addresses and routes are gone), so the command goes on while `ip` finishes in the kernel.
// `ip` runs in the background of a /bin/sh: the tail is nobody's child (not the CLI's, nor a Node API
// user's), and its environment names no state root (only PATH).
// A teardown's rules ride along (ipDeleteBatchWithRules): the same shell then becomes iptables-restore
// (exec), so the CLI forks once, not twice, and both children start together instead of the second
// after the first's spawn and stdio set-up (≈ 50 ms apart in a loaded down's traces; bench/RESULTS.md,
// down10).
// Both go through the shim's netlink executor first (netlink-delete.ts), which returns when the kernel
// is done and leaves no tail; the shell and `ip` are the fallback for a shim without those ops.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { RuntimeError } from '../common/errors.ts';
import { netlinkDelete, type NetlinkDeleted } from './netlink-delete.ts';
import { restoreFailed } from './netlink-ops.ts';

// stdin is the batch (fd 3 for ip, as a background command's own stdin is /dev/null). ip's errors come
// back on stdout, which ip holds until it exits: `ip -batch` prints nothing when every line succeeds and
// names the failed line otherwise, so output is failure and none is success (no status line: that
// would take a subshell, one fork more; 1.7 ms CPU each here).
const SCRIPT = 'exec 3<&0\nip -batch - <&3 3<&- 2>&1 >/dev/null &\n';
// With rules ($1, a here-document: dash writes one under 4 KB into a pipe itself, no fork): the shell
// lets go of ip's stdin and output, then is iptables-restore; its exit code and stderr are the rules'.
const WITH_RULES = `${SCRIPT}exec 3<&- >/dev/null iptables-restore -w --noflush <<EOF\n$1\nEOF\n`;

/** Polled while ip runs: sysfs and /run/netns are cheap reads, a few per millisecond at most. */
const POLL_MS = 2;

export interface Deleted {
  /** Host links (by name) the batch deletes. */
  readonly links: readonly string[];
  /** Names under /run/netns the batch deletes. */
  readonly netns: readonly string[];
}

const allGone = (d: Deleted): boolean =>
  d.links.every((n) => !existsSync(`/sys/class/net/${n}`)) && d.netns.every((n) => !existsSync(`/run/netns/${n}`));

function startShell(lines: readonly string[], rules: string | undefined): ChildProcess {
  const child = spawn('/bin/sh', ['-c', rules === undefined ? SCRIPT : WITH_RULES, 'gantry-ip-delete', rules ?? ''], {
    stdio: ['pipe', 'pipe', rules === undefined ? 'ignore' : 'pipe'],
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
  });
  child.stdin!.on('error', () => undefined); // ip failed before reading it all: its output says why
  child.stdin!.end(lines.join('\n') + '\n');
  return child;
}

/** Resolves when ip exits with no output or once everything in `deleted` is gone. */
function linksGone(child: ChildProcess, deleted: Deleted, onSettled: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const stdout = child.stdout!;
    let out = '';
    let settled = false;
    const poll = setInterval(() => allGone(deleted) && settle(), POLL_MS);
    const settle = (err?: Error): void => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      stdout.destroy(); // an error ip prints later then meets a closed pipe: nothing is waiting
      onSettled();
      if (err) reject(err);
      else resolve();
    };
    child.on('error', (e) => settle(new RuntimeError(`network: \`ip -batch -\` could not start: ${e.message}`)));
    stdout.setEncoding('utf8');
    stdout.on('data', (d: string) => void (out += d));
    // ip exited (the pipe's last writer): what it printed is why it failed
    stdout.on('end', () => {
      const why = firstLines(out);
      if (why === '' && allGone(deleted)) settle();
      else settle(ipFailed(why || 'it left links or namespaces'));
    });
  });
}

const firstLines = (text: string): string =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(0, 3)
    .join('; ');

const ipFailed = (why: string): RuntimeError => new RuntimeError(`network: \`ip -batch -\` failed: ${why}`);

/** The executor's links result as the shell path's: its failure in ip's words, or something left. */
function linksOutcome(r: NetlinkDeleted, deleted: Deleted): Promise<void> {
  if (r.linksFailure !== '') return Promise.reject(ipFailed(firstLines(r.linksFailure)));
  return allGone(deleted) ? Promise.resolve() : Promise.reject(ipFailed('it left links or namespaces'));
}

function rulesOutcome(r: NetlinkDeleted): Promise<void> {
  if (r.rulesExit === 0) return Promise.resolve();
  return Promise.reject(restoreFailed(firstLines(r.rulesStderr) || `exit ${r.rulesExit ?? 'unknown'}`));
}

/** Deletes through the executor, else runs `ip -batch -` as below (shellDeleteBatch). */
export async function ipDeleteBatch(lines: readonly string[], deleted: Deleted): Promise<void> {
  const r = await netlinkDelete(lines);
  return r === undefined ? shellDeleteBatch(lines, deleted) : linksOutcome(r, deleted);
}

/** Runs `ip -batch -` on lines; resolves when it exits 0 or once everything in `deleted` is gone. */
function shellDeleteBatch(lines: readonly string[], deleted: Deleted): Promise<void> {
  const child = startShell(lines, undefined);
  return linksGone(child, deleted, () => child.unref());
}

interface LinksAndRules {
  readonly links: Promise<void>;
  readonly rules: Promise<void>;
}

/**
 * ipDeleteBatch, and `iptables-restore -w --noflush` of `rules` (all or nothing) by the same child:
 * `links` settles as ipDeleteBatch's promise, `rules` as iptables-restore's exit.
 */
export function ipDeleteBatchWithRules(lines: readonly string[], deleted: Deleted, rules: string): LinksAndRules {
  const both = netlinkDelete(lines, rules).then((r): LinksAndRules =>
    r === undefined
      ? shellDeleteBatchWithRules(lines, deleted, rules)
      : { links: linksOutcome(r, deleted), rules: rulesOutcome(r) },
  );
  return { links: both.then((b) => b.links), rules: both.then((b) => b.rules) };
}

function shellDeleteBatchWithRules(lines: readonly string[], deleted: Deleted, rules: string): LinksAndRules {
  const child = startShell(lines, rules);
  const rulesDone = new Promise<void>((resolve, reject) => {
    let err = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => void (err += d));
    child.on('error', (e) => reject(new RuntimeError(`network: \`iptables-restore\` could not start: ${e.message}`)));
    // 'close' would also wait for ip, which holds stdout; stderr is iptables-restore's alone
    let code: number | null | undefined;
    let ended = false;
    const done = (): void => {
      if (code === undefined || !ended) return;
      if (code === 0) resolve();
      else reject(restoreFailed(firstLines(err) || `exit ${code ?? 'by a signal'}`));
    };
    child.on('exit', (c) => ((code = c), done()));
    child.stderr!.on('end', () => ((ended = true), done()));
  });
  return { links: linksGone(child, deleted, () => undefined), rules: rulesDone };
}
