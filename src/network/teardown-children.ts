// A teardown's two children, its rules' removal (iptables-restore) and its links' and namespaces'
// delete (`ip -batch`), started by one fork of the CLI where the host can (ip-delete-batch.ts). Why:
// each spawn forks the whole CLI and sets up its pipes on the main thread before the next can start;
// in traces of a loaded 1-service down the `ip` batch, the down's critical path, started ≈ 50 ms after
// iptables-restore (bench/RESULTS.md, down10). Either failing falls back as when each ran alone.
import { type NetContext, deleteHostLinks, hostLinksDeleteLines } from './context.ts';
import { removeRules } from './firewall.ts';
import { iptablesKnownRemoval } from './nat.ts';
import type { NetworkRecord } from './types.ts';

/** Removes the network's rules and deletes `doomed` (host links) and `netns`; both steps' results. */
export function teardownChildren(
  ctx: NetContext,
  rec: NetworkRecord,
  doomed: readonly string[],
  netns: readonly string[],
): readonly [Promise<void>, Promise<void>] {
  const what = `network ${rec.id}`;
  // What was installed is known only for a network that got ready (its rules were made).
  const plan = rec.state === 'ready' ? rec : undefined;
  const together =
    plan && rec.firewall === 'iptables' && doomed.length > 0 && ctx.host.ipDeleteBatchWithRules
      ? ctx.host.ipDeleteBatchWithRules(
          hostLinksDeleteLines(doomed, netns),
          { links: doomed, netns },
          iptablesKnownRemoval(plan),
        )
      : undefined;
  return [
    removeRules(ctx.host, rec.firewall, rec.bridge, plan, together?.rules),
    deleteHostLinks(ctx, what, doomed, netns, together?.links),
  ];
}
