// A teardown's link and namespace deletes, and its rules, through the shim's netlink executor
// (native/netlink.h, netlink-rules.h) instead of /bin/sh → `ip -batch` in the background beside
// iptables-restore. The kernel acks a link's delete only after its RCU wait, so the executor's
// exit is exactly when the teardown is done: no `ip` tail to poll sysfs for, none to outlive the
// command (session 11's poll on netlink's list let one outlive a down: reverted e9596f4). Fewer
// programs too: the shim, and iptables-restore as its child, where /bin/sh, ip and iptables-restore
// ran. A teardown resolves 26 ms sooner than the shell path's sysfs poll (median pair difference, 20
// pairs, load 20), a 1-service down costs 13 ms less CPU (bench/RESULTS.md, down12).
// undefined when a line is unknown or the shim lacks these ops
// (an older build exits non-zero having done nothing): the caller then runs `ip` as before.
import { execNetlink, jobTokens, splitRulesStatus } from './netlink-ops.ts';

export interface NetlinkDeleted {
  /** What the executor printed for the links, in ip's words; '' when every op succeeded. */
  readonly linksFailure: string;
  /** iptables-restore's exit code (undefined without rules) and its stderr. */
  readonly rulesExit?: number;
  readonly rulesStderr: string;
}

/** Deletes through the executor (with `rules` fed to iptables-restore -w --noflush meanwhile). */
export async function netlinkDelete(lines: readonly string[], rules?: string): Promise<NetlinkDeleted | undefined> {
  const job = jobTokens('-', lines);
  if (job === undefined) return undefined;
  const args = [...(rules === undefined ? [] : ['--rules']), ...job];
  const r = await execNetlink('delete', args, rules === undefined ? '' : `${rules}\n`);
  if (r === undefined) return undefined;
  const { status, rest } = splitRulesStatus(r.stdout);
  const failure = rest.split('\n').filter((l) => l.trim() !== '' && !/^host \d+$/.test(l));
  return {
    linksFailure: r.exitCode === 0 ? failure.join('\n') : `gantry-shim netlink exited ${r.exitCode}`,
    ...(rules === undefined ? {} : { rulesExit: status ?? -1 }),
    rulesStderr: r.stderr,
  };
}
