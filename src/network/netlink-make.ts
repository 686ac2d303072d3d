// A network's bridge and its rules from one child: the shim's netlink executor makes the bridge
// (a host job) while its own child, iptables-restore -w --noflush, installs the rules fed on stdin
// (native/netlink-rules.h; a teardown's run the same way, netlink-delete.ts). Why: two spawns, the
// executor then iptables-restore, started 22 ms apart in an idle warm `up -d` (enableForwarding's
// file round trips and a second fork of the ≈ 50 MB CLI in between); one spawn starts both: in 14
// loaded timelines iptables-restore starts 9.5 ms after the fork, not 22.9 (medians), and the network's
// span's lower quartile went 34 → 26 ms (bench/RESULTS.md, upnet13). A shim without the op (or a line
// it does not know) runs each alone.
import type { Captured } from '../common/run-captured.ts';
import { hostBatchError } from './ip-batches.ts';
import { execNetlink, jobTokens, restoreFailed, splitRulesStatus } from './netlink-ops.ts';

export interface MadeTogether {
  /** Settles as ipBatch(lines) would. */
  readonly links: Promise<void>;
  /** Settles as iptablesRestore(rules) would: the same error when it fails. */
  readonly rules: Promise<void>;
}

/** How to run each alone (the NetHost's ipBatch and iptablesRestore). */
export interface EachAlone {
  readonly links: () => Promise<void>;
  readonly rules: () => Promise<void>;
}

function outcome(r: Captured, lines: readonly string[]): MadeTogether {
  const { status, rest } = splitRulesStatus(r.stdout);
  const linksError = hostBatchError({ ...r, stdout: rest }, lines);
  // As host.ts's run() words a failed iptables-restore: its first stderr lines, else the exit code.
  const why = r.stderr.trim().split('\n').slice(0, 3).join('; ') || `exit code ${status ?? 'unknown'}`;
  return {
    links: linksError === undefined ? Promise.resolve() : Promise.reject(linksError),
    rules: status === 0 ? Promise.resolve() : Promise.reject(restoreFailed(why)),
  };
}

/** Host batch `lines` and `iptables-restore -w --noflush` of `rules`, by one child where the shim can. */
export function makeWithRules(lines: readonly string[], rules: string, alone: EachAlone): MadeTogether {
  const job = jobTokens('-', lines);
  const ran = job === undefined ? Promise.resolve(undefined) : execNetlink('make+rules', ['--rules', ...job], rules);
  const both = ran.then((r) => (r === undefined ? { links: alone.links(), rules: alone.rules() } : outcome(r, lines)));
  return { links: both.then((b) => b.links), rules: both.then((b) => b.rules) };
}
