// The build bridge: RUN --network=default reaches out through a bridge with egress, as BuildKit's
// default network does. Its namespaces are the state root's pool on `gantry-build`
// (`gantry-b<root>-pool-<n>`, netns-pool.ts): a build leases one for all its RUNs and gives it back
// when it ends, so an edited build starts no network process and takes no host-wide network lock.
// A build killed with -9 leaves its lease to a dead pid: the next build takes the namespace over.
// `network prune` (releaseBuildPool) removes the namespaces no live build holds, then the bridge.
import type { BuildNetwork } from '../../build/index.ts';
import { buildNetnsPrefix, buildPoolDir, collectKilledBuilds } from './killed-builds.ts';
import { leaseMember, pruneMembers, releaseMember, type NetnsPool } from './netns-pool.ts';

export const BUILD_NETWORK = 'gantry-build';

/** The build bridge's pool of a state root; its leases hold the build's pid. */
export const buildPool = (root: string, warn?: (message: string) => void): NetnsPool => ({
  root,
  network: { id: BUILD_NETWORK, internal: false, labels: { 'gantry.build': 'bridge' } },
  what: 'build namespace',
  prefix: `${buildNetnsPrefix(root)}pool-`,
  leaseDir: buildPoolDir(root),
  endpointOwner: 'build pool',
  // Namespaces of builds killed before the pool (their RUN containers were reaped when this build began).
  beforeMake: async (nets) => {
    if ((await collectKilledBuilds(root)).length > 0) await nets.gc();
  },
  ...(warn ? { warn } : {}),
});

export function buildNetwork(root: string, warn?: (message: string) => void): BuildNetwork {
  const pool = buildPool(root, warn);
  let held: string | undefined; // the leased member's name
  return {
    async open() {
      const lease = await leaseMember(pool);
      held = lease.name;
      return lease.path;
    },
    async close(discard) {
      if (held === undefined) return;
      // A privileged RUN held CAP_NET_ADMIN in it: the next build must not inherit what it changed.
      await releaseMember(pool, held, discard === true).finally(() => (held = undefined));
    },
  };
}

/** Removes the pool namespaces no live build holds (`network prune`); returns their names. */
export const releaseBuildPool = (root: string, warn?: (message: string) => void): Promise<string[]> =>
  pruneMembers(buildPool(root, warn));
