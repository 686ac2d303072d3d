// A new network's kernel objects: its bridge (with the owner alias), forwarding and its firewall
// rules, all at once. Rules name the bridge by its name only, so they need not wait for it: the
// network costs the slowest step, not their sum. Where the host can, the bridge's batch and the
// rules start from one child (netlink-make.ts): in an idle warm `up -d` the second child (the rules'
// iptables-restore) was forked 22 ms after the first, behind enableForwarding's file round trips and
// the first fork (bench/RESULTS.md, upnet13); forwarding's sysctl and record file now run beside it.
import type { NetContext } from './context.ts';
import { enableForwarding, installRules } from './firewall.ts';
import { iptablesInstall } from './nat.ts';
import type { NetworkRecord } from './types.ts';

/** Makes the bridge (host batch `lines`), forwarding (egress) and rules; each step's outcome. */
export function makeChildren(
  ctx: NetContext,
  rec: NetworkRecord,
  lines: readonly string[],
): Promise<readonly PromiseSettledResult<void>[]> {
  const together =
    rec.firewall === 'iptables' && ctx.host.ipBatchWithRules
      ? ctx.host.ipBatchWithRules(lines, iptablesInstall(rec))
      : undefined;
  return Promise.allSettled([
    together?.links ?? ctx.host.ipBatch(lines),
    rec.internal || rec.firewall === 'none' ? Promise.resolve() : enableForwarding(ctx.host, ctx.root),
    installRules(ctx.host, rec.firewall, rec, together?.rules),
  ]);
}
