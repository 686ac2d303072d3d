// The host-wide stores behind `gantry image …` and `gantry network …`: the state root's image store
// (with Dockerfile builds, which need the runtime too) and the network manager. Loaded on first use:
// the image module (registry client, archives, zstd, child processes) is ≈ 100 KB of the bundle
// that no other command needs at start.
import { stateDirs, stateRoot } from '../../common/state-root.ts';
import { secureStateRoot } from '../../common/secure-root.ts';
import type { ImageStore, LocalImage } from '../../image/index.ts';
import type { BuildRequest } from '../../build/index.ts';

export type {
  ArchiveSource,
  ImageConfig,
  ImageHealthcheck,
  ImageStore,
  LocalImage,
  PullProgress,
} from '../../image/index.ts';
export type { Progress as BuildProgress } from '../../build/index.ts';

export async function hostImageStore(o: { root?: string } = {}): Promise<ImageStore> {
  const root = o.root ?? stateRoot();
  const { openImageStore } = await import('../../image/index.ts');
  secureStateRoot(root);
  return openImageStore(stateDirs(root).images);
}

/** `image build`: a Dockerfile build into the host's image store, its RUN steps on the host's runtime. */
export async function buildHostImage(
  req: Omit<BuildRequest, 'stateRoot' | 'store' | 'runtime' | 'network'>,
  o: { root?: string } = {},
): Promise<LocalImage> {
  const root = o.root ?? stateRoot();
  const [{ buildImage }, { createRuntime }, store, { buildNetwork }] = await Promise.all([
    import('../../build/index.ts'),
    import('../../runtime/index.ts'),
    hostImageStore({ root }),
    import('../ops/build-network.ts'),
  ]);
  const network = buildNetwork(root, (w) => req.warn?.(w));
  return buildImage({ ...req, stateRoot: root, store, runtime: createRuntime({ root }), network });
}

/** An image name as Docker prints it (docker.io/library/busybox:1 → busybox:1). */
export async function familiarImageName(): Promise<(normalized: string) => string> {
  return (await import('../../image/index.ts')).familiarName;
}

export async function hostNetworks(o: { root?: string } = {}) {
  return (await import('../ops/network-manager.ts')).openNetworks(o.root ?? stateRoot());
}

/**
 * What builds of this host's state root killed with kill -9 left: their RUN containers and build
 * namespaces (removed, named in the result); the network gc after it releases their veths.
 */
export async function collectKilledHostBuilds(o: { root?: string } = {}): Promise<readonly string[]> {
  const root = o.root ?? stateRoot();
  const [{ collectKilledBuilds }, { createRuntime }] = await Promise.all([
    import('../ops/killed-builds.ts'),
    import('../../runtime/index.ts'),
  ]);
  return collectKilledBuilds(root, createRuntime({ root }));
}

/**
 * `network prune` and `network rm`: the pooled namespaces no live holder leases (of the build bridge
 * and the default bridge; of `networks` only, when given), removed before their networks.
 */
export async function releaseHostPools(
  o: { root?: string; networks?: readonly string[] } = {},
): Promise<readonly { name: string; what: string }[]> {
  const root = o.root ?? stateRoot();
  const [{ buildPool }, { runPool }, { pruneMembers }] = await Promise.all([
    import('../ops/build-network.ts'),
    import('../ops/default-bridge.ts'),
    import('../ops/netns-pool.ts'),
  ]);
  const removed: { name: string; what: string }[] = [];
  for (const pool of [buildPool(root), runPool(root)])
    if (o.networks === undefined || o.networks.includes(pool.network.id))
      for (const name of await pruneMembers(pool)) removed.push({ name, what: pool.what });
  return removed;
}

/** `builder prune`: the build cache of this host's state root (step index, cache mounts, layers only it kept). */
export async function pruneHostBuildCache(o: { root?: string } = {}) {
  const root = o.root ?? stateRoot();
  const [{ pruneBuildCache }, store] = await Promise.all([import('../../build/index.ts'), hostImageStore({ root })]);
  return pruneBuildCache(root, store);
}
