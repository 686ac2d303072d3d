// The build bridge: RUN --network=default reaches out through a bridge with egress, as BuildKit's
// default network does. Its namespaces are a pool per state root (`gantry-b<root>-pool-<n>`),
// joined to the root's `gantry-build` network once and kept between builds, as BuildKit's CNI
// provider keeps a pool of namespaces: a build leases one (a lock file holding its pid) for all
// its RUNs and gives it back when it ends, so an edited build starts no network process and takes
// no host-wide network lock (made and removed per build, it cost 2 `ip` runs, each a fork of the
// CLI, 3 turns of that lock and the kernel's namespace teardown: issue 16's edit budget). A build
// killed with -9 leaves its lease to a dead pid: the next build takes the namespace over.
// `network prune` (releaseBuildPool) removes the namespaces no live build holds, then the bridge.
import { existsSync, mkdirSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { BuildNetwork } from '../../build/index.ts';
import { stateDirs } from '../../common/state-root.ts';
import { pidAlive } from '../../common/pid-alive.ts';
import { takeOverIfDead, tryLinkLock } from '../../common/lock-file.ts';
import { buildNetnsPrefix, buildPoolDir, collectKilledBuilds } from './killed-builds.ts';

export const BUILD_NETWORK = 'gantry-build';
/** The endpoint owner of a pool namespace: not a container name, so the network counts it in use. */
const POOL_OWNER = 'build pool';

/** Leases the namespace `name` (its lease file holds our pid); a dead holder's lease is taken over. */
function lease(root: string, name: string): string | undefined {
  const file = join(buildPoolDir(root), `${name}.lease`);
  if (tryLinkLock(file, String(process.pid))) return file;
  takeOverIfDead(file, pidAlive);
  return tryLinkLock(file, String(process.pid)) ? file : undefined;
}

const loadNetworks = async (root: string, warn?: (message: string) => void) => {
  const net = await import('../../network/index.ts');
  return { net, nets: net.createNetworkManager({ root: stateDirs(root).networks, ...(warn ? { warn } : {}) }) };
};
type Networks = Awaited<ReturnType<typeof loadNetworks>>;

/** Whether the pool namespace at path is still joined to the build bridge (no lock, no process). */
async function joined({ nets }: Networks, path: string): Promise<boolean> {
  if (!existsSync(path)) return false;
  const rec = (await nets.list()).find((n) => n.id === BUILD_NETWORK);
  const ep = rec?.endpoints.find((e) => e.netnsPath === path && e.state === 'ready');
  if (rec === undefined || ep === undefined) return false;
  try {
    // A veth pair dies whole: the host end still enslaved to the bridge means the inside end lives.
    return basename(readlinkSync(`/sys/class/net/${ep.hostVeth}/master`)) === rec.bridge;
  } catch {
    return false;
  }
}

/** Joins pool namespace `name` to the build bridge anew (after a prune, a reboot, or the first build). */
async function make(root: string, n: Networks, name: string): Promise<string> {
  const { net, nets } = n;
  const path = net.netnsPath(name);
  if (existsSync(path)) {
    await nets.leave(name, BUILD_NETWORK).catch(() => undefined); // half there: start clean
    await net.deleteNetns(name);
  }
  // Namespaces of builds killed before the pool (their RUN containers were reaped when this build began).
  if ((await collectKilledBuilds(root)).length > 0) await nets.gc();
  const info = await nets.ensureNetwork({ id: BUILD_NETWORK, internal: false, labels: { 'gantry.build': 'bridge' } });
  await nets.attach(path, info.id, {
    ifname: 'eth0',
    defaultRoute: true,
    owner: POOL_OWNER,
    newNetns: { owner: stateDirs(root).networks },
  });
  return path;
}

export function buildNetwork(root: string, warn?: (message: string) => void): BuildNetwork {
  let held: string | undefined; // our lease file
  let heldName = '';
  return {
    async open() {
      mkdirSync(buildPoolDir(root), { recursive: true });
      let name = '';
      for (let i = 0; held === undefined; i++) {
        name = `${buildNetnsPrefix(root)}pool-${i}`;
        held = lease(root, name);
      }
      heldName = name;
      const n = await loadNetworks(root, warn);
      const path = n.net.netnsPath(name);
      return (await joined(n, path)) ? path : make(root, n, name);
    },
    async close(discard) {
      if (held === undefined) return;
      try {
        // A privileged RUN held CAP_NET_ADMIN in it: the next build must not inherit what it changed.
        if (discard) {
          const { net, nets } = await loadNetworks(root, warn);
          await nets.leave(heldName, BUILD_NETWORK).catch(() => undefined);
          await net.deleteNetns(heldName);
        }
      } finally {
        rmSync(held, { force: true });
        held = undefined;
      }
    },
  };
}

/** Removes the pool namespaces no live build holds (`network prune`); returns their names. */
export async function releaseBuildPool(root: string, warn?: (message: string) => void): Promise<string[]> {
  const mine = `${buildNetnsPrefix(root)}pool-`;
  const names = existsSync('/run/netns') ? readdirSync('/run/netns').filter((x) => x.startsWith(mine)) : [];
  if (names.length === 0) return [];
  mkdirSync(buildPoolDir(root), { recursive: true });
  const { net, nets } = await loadNetworks(root, warn);
  const removed: string[] = [];
  for (const name of names) {
    const file = lease(root, name);
    if (file === undefined) continue; // a running build's
    try {
      await nets.leave(name, BUILD_NETWORK).catch(() => undefined);
      await net.deleteNetns(name);
      removed.push(name);
    } finally {
      rmSync(file, { force: true });
    }
  }
  return removed;
}
