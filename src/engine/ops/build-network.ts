// The build bridge: RUN --network=default reaches out through a bridge with egress, as BuildKit's
// default network does. One namespace per build process (`gantry-b<root>-<pid>-<n>`), made on
// the first RUN that needs it, joined to the state root's `gantry-build` network, removed when the
// build ends. A build killed with -9 leaves its namespace behind: the next build deletes those
// of dead pids (killed-builds.ts, as every locked command and `network prune` do), and the
// network's gc then releases their endpoints (their veths died with them).
// One `ip` run each way, as container run's namespace: the attach's host batch makes the namespace
// (newNetns) and the leave deletes it in its veth's batch. Made by createNetns first and removed by
// detach then deleteNetns, it cost 4 forks of the CLI (≈ 5–20 ms of the main thread each, by load).
import type { BuildNetwork } from '../../build/index.ts';
import { stateDirs } from '../../common/state-root.ts';
import { buildNetnsPrefix, collectKilledBuilds } from './killed-builds.ts';

export const BUILD_NETWORK = 'gantry-build';

export function buildNetwork(root: string, warn?: (message: string) => void): BuildNetwork {
  const prefix = buildNetnsPrefix(root);
  let made: string | undefined;
  const load = async () => {
    const net = await import('../../network/index.ts');
    return { net, nets: net.createNetworkManager({ root: stateDirs(root).networks, ...(warn ? { warn } : {}) }) };
  };
  return {
    async open() {
      const { net, nets } = await load();
      // Their RUN containers were reaped when this build began (build-leftovers.ts).
      if ((await collectKilledBuilds(root)).length > 0) await nets.gc();
      const info = await nets.ensureNetwork({
        id: BUILD_NETWORK,
        internal: false,
        labels: { 'gantry.build': 'bridge' },
      });
      made = `${prefix}${process.pid}-${Math.random().toString(16).slice(2, 8)}`;
      const path = net.netnsPath(made);
      await nets.attach(path, info.id, {
        ifname: 'eth0',
        defaultRoute: true,
        owner: `build ${process.pid}`,
        newNetns: { owner: stateDirs(root).networks },
      });
      return path;
    },
    async close() {
      if (made === undefined) return;
      const { net, nets } = await load();
      await nets.leave(made, BUILD_NETWORK).catch(() => undefined);
      await net.deleteNetns(made); // gone with the leave's batch, unless it failed; and its owner record
      made = undefined;
    },
  };
}
