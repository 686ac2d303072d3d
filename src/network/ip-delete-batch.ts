// An `ip` batch that deletes links and namespaces, waited for until they are gone from the host, not
// until `ip` exits. Why: the kernel unlists a deleted link at once, then (rtnl released) waits out an
// RCU barrier before it answers: ≈ 35–40 ms of a 1-service down's 50 ms `ip` run here, the down's
// critical path (bench/RESULTS.md, down23). Nothing of the link is left to see or reuse by then (its
// name, addresses and routes are gone), so the command goes on while `ip` finishes in the kernel.
// `ip` runs in the background of a /bin/sh that exits at once: the tail is nobody's child (not the
// CLI's, nor a Node API user's), and its environment names no state root (only PATH).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { RuntimeError } from '../common/errors.ts';

// stdin is the batch (fd 3 for ip, as a background command's own stdin is /dev/null). ip's errors come
// back on stdout, which ip holds until it exits: `ip -batch` prints nothing when every line succeeds and
// names the failed line otherwise, so output is failure and none is success (no status line: that
// would take a subshell, one fork more; 1.7 ms CPU each here).
const SCRIPT = 'exec 3<&0\nip -batch - <&3 3<&- 2>&1 >/dev/null &\n';

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

/** Runs `ip -batch -` on lines; resolves when it exits 0 or once everything in `deleted` is gone. */
export function ipDeleteBatch(lines: readonly string[], deleted: Deleted): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', SCRIPT, 'gantry-ip-delete'], {
      stdio: ['pipe', 'pipe', 'ignore'],
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
    });
    let out = '';
    let settled = false;
    const poll = setInterval(() => allGone(deleted) && settle(), POLL_MS);
    const settle = (err?: Error): void => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      child.stdout.destroy(); // an error ip prints later then meets a closed pipe: nothing is waiting
      child.unref();
      if (err) reject(err);
      else resolve();
    };
    child.on('error', (e) => settle(new RuntimeError(`network: \`ip -batch -\` could not start: ${e.message}`)));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => void (out += d));
    // ip exited (the pipe's last writer): what it printed is why it failed
    child.stdout.on('end', () => {
      const why = out
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '')
        .slice(0, 3)
        .join('; ');
      if (why === '' && allGone(deleted)) settle();
      else settle(new RuntimeError(`network: \`ip -batch -\` failed: ${why || 'it left links or namespaces'}`));
    });
    child.stdin.on('error', () => undefined); // ip failed before reading it all: its output says why
    child.stdin.end(lines.join('\n') + '\n');
  });
}
