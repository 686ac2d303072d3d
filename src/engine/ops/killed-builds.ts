// What a build killed with kill -9 leaves on the network side: its RUN container still running in
// its namespace on the `gantry-build` bridge: a pooled one (`gantry-b<root>-pool-<n>`,
// build-network.ts) that stays for the next build once the container is reaped and the lease
// freed, or, made by an older gantry, one of its own (`gantry-b<root>-<pid>-<n>`), removed with its
// veth. Found by one readdir of /run/netns, so every locked command can look, not only the next
// build; `network prune` looks too, then removes the bridge once nothing uses it.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { shortId } from '../../common/short-id.ts';
import { takeOverGone } from '../../common/lock-file.ts';
import { pidAlive } from '../../common/pid-alive.ts';
import { goneLeases } from './netns-pool.ts';
import type { Runtime } from '../../runtime/index.ts';

/** The names of this state root's build namespaces start so (a hash: one root's builds only). */
export const buildNetnsPrefix = (root: string): string => `gantry-b${shortId(root).slice(0, 8)}-`;

/** Where a build's lease on a pooled namespace lives (build-network.ts): a lock file holding its pid. */
export const buildPoolDir = (root: string): string => join(root, 'build', 'netns-pool');

/** This root's build namespaces whose build process is gone. */
export function killedBuildNetns(root: string): readonly string[] {
  let names: string[];
  try {
    names = readdirSync('/run/netns');
  } catch {
    return [];
  }
  // The pid first: the common case (no build namespace, or only live ones) hashes nothing.
  const dead = names.filter((n) => {
    const pid = /^gantry-b[0-9a-f]{8}-(\d+)-/.exec(n)?.[1];
    return pid !== undefined && !pidAlive(Number(pid));
  });
  if (dead.length === 0) return dead;
  const prefix = buildNetnsPrefix(root);
  return dead.filter((n) => n.startsWith(prefix));
}

/**
 * Removes the namespaces of this root's killed builds; with a runtime, first their RUN containers
 * (killed and deleted: a process left in a namespace keeps it, and its veth, alive). The caller's
 * network gc then releases their endpoints. Returns the namespaces removed. Of a pooled namespace
 * only the dead build's lease goes: the namespace stays, for the next build.
 */
export async function collectKilledBuilds(root: string, runtime?: Runtime): Promise<readonly string[]> {
  const dead = killedBuildNetns(root);
  const leases = goneLeases({ leaseDir: buildPoolDir(root) });
  if (dead.length === 0 && leases.length === 0) return dead;
  if (runtime) await (await import('../../build/index.ts')).reapKilledBuildRuns(runtime);
  if (runtime) for (const f of leases) takeOverGone(f, pidAlive);
  const { deleteNetns } = await import('../../network/index.ts');
  for (const n of dead) await deleteNetns(n);
  return dead;
}
