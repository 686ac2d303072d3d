// Pooled network namespaces, one seam for the bridges whose containers come and go often (the
// build bridge's RUNs, `container run`'s default bridge). A pool per (state root, network) keeps
// its members `<prefix><n>` joined to the bridge between uses, as BuildKit's CNI provider keeps a
// pool: a user leases one (a lock file naming its holder), checks with no process that it is
// still joined and clean, and gives it back. Made and removed per use, a namespace cost two `ip`
// runs (each a fork of the CLI), three turns of the host-wide network lock and the kernel's
// teardown: issue 16's edited build, and ≈ 80 of the 209 ms `container run --rm IMG true` spent
// over `node -e 0` (issue 20, idle, 45a044f). A holder killed with -9 leaves a lease whose holder
// is gone (common/lock-file.ts holderGone): the next lease takes that member over. `network prune`
// and `network rm` remove the members no live holder leases.
import { existsSync, mkdirSync, readdirSync, readlinkSync, rmdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { NetworkManager, NetworkSpec } from '../../network/index.ts';
import { RuntimeError } from '../../common/errors.ts';
import { stateDirs } from '../../common/state-root.ts';
import { pidAlive } from '../../common/pid-alive.ts';
import { holderGone, lockContent, takeOverGone, tryLinkLock } from '../../common/lock-file.ts';

export interface NetnsPool {
  readonly root: string;
  /** The network its members join, ensured before one is made. */
  readonly network: NetworkSpec;
  /** What a member is called in messages (`network prune` lists them so). */
  readonly what: string;
  /** Member names are `<prefix><n>` (/run/netns). */
  readonly prefix: string;
  /** A member's lease: `<leaseDir>/<name>.lease`, holding "PID" or "PID OWNER" (holderGone). */
  readonly leaseDir: string;
  /** Directories removed once empty after a prune (the lease dir first, then its parents of this pool's). */
  readonly emptyDirs?: readonly string[];
  /** The endpoint's owner: not a container name, so the network counts a kept member in use. */
  readonly endpointOwner: string;
  /** A lease naming an owner is free once the owner is gone too (a container: its state removed). */
  readonly ownerGone?: (owner: string) => boolean;
  /** Members numbered from `keep` on are removed at release, not kept: a burst leaves no dozens behind. */
  readonly keep?: number;
  /** Before a member is made (the build pool: collect what killed builds left on the bridge). */
  readonly beforeMake?: (nets: NetworkManager) => Promise<void>;
  readonly warn?: (message: string) => void;
}

export interface NetnsLease {
  readonly name: string;
  readonly path: string;
  /** The member's address on the network (eth0). */
  readonly address: string;
}

/** A bound on the members leased at once (each is a namespace and a veth on the host). */
const MAX_MEMBERS = 4096;

const leaseFile = (pool: NetnsPool, name: string): string => join(pool.leaseDir, `${name}.lease`);

/** Takes the lease of member `name` (a gone holder's is taken over); its file, or undefined when held. */
function tryLease(pool: NetnsPool, name: string, content: string): string | undefined {
  const file = leaseFile(pool, name);
  if (tryLinkLock(file, content)) return file;
  takeOverGone(file, pidAlive, pool.ownerGone);
  return tryLinkLock(file, content) ? file : undefined;
}

const networksOf = async (pool: NetnsPool) => {
  const [net, { openNetworks }] = await Promise.all([import('../../network/index.ts'), import('./network-manager.ts')]);
  return { net, nets: await openNetworks(pool.root, pool.warn) };
};
type Networks = Awaited<ReturnType<typeof networksOf>>;

/**
 * The member's address if it is still joined to the bridge (read from records and sysfs: no process,
 * no lock); `recorded`: the network still lists an endpoint of it (to be left before it is made anew).
 */
async function joinedAddress(
  { nets }: Networks,
  pool: NetnsPool,
  path: string,
): Promise<{ address?: string; recorded: boolean }> {
  const rec = (await nets.list()).find((n) => n.id === pool.network.id);
  const ep = rec?.endpoints.find((e) => e.netnsPath === path);
  if (rec === undefined || ep === undefined) return { recorded: false };
  try {
    // A veth pair dies whole: the host end still enslaved to the bridge means the inside end lives.
    const joined = ep.state === 'ready' && existsSync(path);
    if (joined && basename(readlinkSync(`/sys/class/net/${ep.hostVeth}/master`)) === rec.bridge)
      return { address: ep.address, recorded: true };
  } catch {}
  return { recorded: true };
}

/** Takes the member out of the network and deletes it (its veth goes with it, in one `ip` run). */
async function removeMember({ net, nets }: Networks, pool: NetnsPool, name: string): Promise<void> {
  await nets.leave(name, pool.network.id).catch(() => undefined);
  await net.deleteNetns(name);
}

/**
 * Joins member `name` to the bridge anew: its first use, after a prune or a reboot, or it was not
 * clean. Whatever is left of it goes first (half made, occupied, or its record outlived it).
 */
async function make(n: Networks, pool: NetnsPool, name: string, recorded: boolean): Promise<string> {
  const path = n.net.netnsPath(name);
  if (recorded || existsSync(path)) await removeMember(n, pool, name);
  await pool.beforeMake?.(n.nets);
  const info = await n.nets.ensureNetwork(pool.network);
  const r = await n.nets.attach(path, info.id, {
    ifname: 'eth0',
    defaultRoute: true,
    owner: pool.endpointOwner,
    newNetns: { owner: stateDirs(pool.root).networks },
  });
  return r.address;
}

/** Leases a member for this process (and `owner`, who holds it after us: a container id), made if need be. */
export async function leaseMember(pool: NetnsPool, owner?: string): Promise<NetnsLease> {
  const content = owner === undefined ? String(process.pid) : `${process.pid} ${owner}`;
  let name = '';
  let file: string | undefined;
  for (let i = 0; file === undefined; i++) {
    if (i >= MAX_MEMBERS) throw new RuntimeError(`network ${pool.network.id}: all ${i} pooled namespaces are in use`);
    mkdirSync(pool.leaseDir, { recursive: true }); // again: the last release may have removed it since
    name = `${pool.prefix}${i}`;
    file = tryLease(pool, name, content);
  }
  try {
    const n = await networksOf(pool);
    const path = n.net.netnsPath(name);
    const kept = await joinedAddress(n, pool, path);
    // A process in it (joined by hand, --network PATH, container:): what joined it may have changed it, and may still.
    const address = kept.address !== undefined && !n.net.netnsInUse(name) ? kept.address : undefined;
    return { name, path, address: address ?? (await make(n, pool, name, kept.recorded)) };
  } catch (e) {
    rmSync(file, { force: true });
    throw e;
  }
}

export const isMember = (pool: NetnsPool, name: string): boolean =>
  name.startsWith(pool.prefix) && /^\d+$/.test(name.slice(pool.prefix.length));

/**
 * Gives member `name` back: kept for the next lease, or removed when `discard` (its user could have
 * changed it: CAP_NET_ADMIN) or beyond the pool's `keep`. `owner`: only a lease naming it is given
 * back (a container's removal must not free a member another container leased since).
 */
export async function releaseMember(pool: NetnsPool, name: string, discard: boolean, owner?: string): Promise<void> {
  const file = leaseFile(pool, name);
  const content = lockContent(file);
  if (content === undefined) return;
  if (owner !== undefined && content.trim().split(' ')[1] !== owner) return;
  try {
    const beyond = pool.keep !== undefined && Number(name.slice(pool.prefix.length)) >= pool.keep;
    if (discard || beyond) await removeMember(await networksOf(pool), pool, name);
  } finally {
    rmSync(file, { force: true });
  }
}

/** Leases whose holder is gone (killed with -9): what they held may still run in the member. */
export function goneLeases(pool: Pick<NetnsPool, 'leaseDir' | 'ownerGone'>): string[] {
  try {
    return readdirSync(pool.leaseDir)
      .filter((n) => n.endsWith('.lease'))
      .map((n) => join(pool.leaseDir, n))
      .filter((f) => holderGone(lockContent(f), pidAlive, pool.ownerGone));
  } catch {
    return [];
  }
}

/** Removes the members no live holder leases (`network prune`, `network rm`); returns their names. */
export async function pruneMembers(pool: NetnsPool): Promise<string[]> {
  const names = existsSync('/run/netns') ? readdirSync('/run/netns').filter((x) => isMember(pool, x)) : [];
  const removed: string[] = [];
  if (names.length > 0) {
    mkdirSync(pool.leaseDir, { recursive: true });
    const n = await networksOf(pool);
    for (const name of names) {
      const file = tryLease(pool, name, String(process.pid));
      if (file === undefined) continue; // in use
      try {
        await removeMember(n, pool, name);
        removed.push(name);
      } finally {
        rmSync(file, { force: true });
      }
    }
  }
  removeEmptyDirs(pool);
  return removed;
}

/** The last one out leaves no empty state dir behind. */
export function removeEmptyDirs(pool: NetnsPool): void {
  for (const d of [pool.leaseDir, ...(pool.emptyDirs ?? [])]) {
    try {
      rmdirSync(d);
    } catch {} // not empty (a lease is held) or gone
  }
}
