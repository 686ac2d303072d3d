// `image build`: a Dockerfile and a context → an image in the store. Parses, picks the stages
// the target needs, resolves them with the base images' configs (and the named contexts), reads
// the context once (.dockerignore, content digests through a stat cache kept between builds),
// runs the stages in order, and stores the final stage's layers with its config and history under
// the tags given. cache_from directories offer steps to the cache index; cache_to ones get the
// steps this build used.
import { mkdir, readFile } from 'node:fs/promises';
import { removeInsideAsync } from '../../common/remove-inside.ts';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { ImageStore, LocalImage } from '../../image/index.ts';
import type { Runtime } from '../../runtime/index.ts';
import { ConfigError, UsageError } from '../../common/errors.ts';
import { parseDockerfile } from '../dockerfile/parse.ts';
import { DockerfileError } from '../dockerfile/errors.ts';
import type { Dockerfile } from '../dockerfile/types.ts';
import { globalScope } from '../resolve/global-args.ts';
import { hostPlatform } from '../resolve/build-args.ts';
import { resolveDockerfile } from '../resolve/resolve.ts';
import type { BaseImageConfig } from '../resolve/types.ts';
import { stageGraph, stagesForTarget } from '../graph/stage-graph.ts';
import { loadIgnorePatterns } from '../context/ignore-file.ts';
import { IgnoreMatcher } from '../context/dockerignore.ts';
import { walkContext } from '../context/walk.ts';
import { StatCache } from '../context/stat-cache.ts';
import { contentDigests } from '../context/content-hash.ts';
import type { ImageConfigJson } from '../convert/image-config.ts';
import { CacheIndex } from './cache-index.ts';
import { localCacheDir, readCacheDir, writeCacheDir, type ImportedStep } from './cache-transfer.ts';
import type { BuildSecret } from './run-mounts.ts';
import type { RunOptions } from './run-step.ts';
import type { BuildEnv, Progress } from './run-stage.ts';
import { runStages } from './run-stages.ts';
import { needsBuildNetwork } from './run-network.ts';
import { cleanDead, reapOrphans } from './build-leftovers.ts';
import { parseNamedContexts } from './named-contexts.ts';
import { resolveBases } from './resolve-bases.ts';

export interface BuildRequest {
  readonly contextDir: string;
  /** Path of the Dockerfile (default CONTEXT/Dockerfile), or its text (compose dockerfile_inline). */
  readonly dockerfile?: string | undefined;
  readonly dockerfileText?: string | undefined;
  readonly buildArgs?: ReadonlyMap<string, string>;
  readonly target?: string | undefined;
  readonly labels?: Readonly<Record<string, string>>;
  readonly tags: readonly string[];
  readonly noCache?: boolean;
  /** Pull every base image again, even when the store has it. */
  readonly pull?: boolean;
  /** The state root: build/ (cache index, stat cache, temp dirs) lives under it. */
  readonly stateRoot: string;
  readonly store: ImageStore;
  readonly runtime: Runtime;
  readonly progress: Progress;
  readonly warn?: (line: string) => void;
  /** `--secret id=ID,src=FILE|env=VAR`: what RUN --mount=type=secret can mount. */
  readonly secrets?: readonly BuildSecret[];
  /** The build bridge (egress) for RUN --network=default; absent: RUNs get loopback only. */
  readonly network?: BuildNetwork | undefined;
  /** `--allow network.host`: RUN --network=host may use the host's network. */
  readonly allowHostNetwork?: boolean;
  /** Ctrl-C / SIGTERM: the running step's container is deleted and the build fails with 130. */
  readonly signal?: AbortSignal | undefined;
  /** compose build: extra_hosts, shm_size, ulimits, privileged for every RUN container. */
  readonly runOptions?: RunOptions | undefined;
  /** The network of RUNs without --network: default (the build bridge), none or host. */
  readonly defaultNetwork?: 'default' | 'none' | 'host' | undefined;
  /** `--build-context NAME=DIR|docker-image://REF` (compose additional_contexts, resolved). */
  readonly namedContexts?: ReadonlyMap<string, string> | undefined;
  /** `--no-cache-filter`: stages (names or indexes) whose steps run again. */
  readonly noCacheFilter?: readonly string[] | undefined;
  /** cache_from / cache_to: `type=local,src=DIR` to import the cache from, `type=local,dest=DIR` to export it to. */
  readonly cacheFrom?: readonly string[] | undefined;
  readonly cacheTo?: readonly string[] | undefined;
}

/** A network namespace on a bridge with egress, taken on first use and given back when the build ends. */
export interface BuildNetwork {
  open(): Promise<string>;
  /** discard: a privileged RUN used the namespace (it could change its links and rules): not reused. */
  close(discard?: boolean): Promise<void>;
}

const configOf = (docConfig: Record<string, unknown> | undefined): ImageConfigJson | undefined =>
  docConfig?.['config'] as ImageConfigJson | undefined;

function baseConfig(c: ImageConfigJson | undefined): BaseImageConfig {
  return { env: c?.Env ?? [], workingDir: c?.WorkingDir, user: c?.User, shell: c?.Shell, onBuild: c?.OnBuild };
}

/** --no-cache-filter names → stage indexes; an unknown stage is an error, as in BuildKit. */
function noCacheFilter(df: Dockerfile, list: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const name of list.flatMap((x) => x.split(',')).filter((x) => x !== '')) {
    const i = /^\d+$/.test(name) ? Number(name) : df.stages.findIndex((s) => s.from.stageName === name.toLowerCase());
    if (!(i >= 0 && i < df.stages.length)) throw new UsageError(`--no-cache-filter ${name}: no such stage`);
    out.add(i);
  }
  return out;
}

export async function buildImage(req: BuildRequest): Promise<LocalImage> {
  const contextDir = resolve(req.contextDir);
  const dfPath = req.dockerfile === undefined ? join(contextDir, 'Dockerfile') : resolve(contextDir, req.dockerfile);
  const text =
    req.dockerfileText ??
    (await readFile(dfPath, 'utf8').catch(() => {
      throw new ConfigError(`cannot read the Dockerfile ${dfPath}`);
    }));
  const file = req.dockerfileText === undefined ? (req.dockerfile ?? 'Dockerfile') : 'Dockerfile';
  const df = parseDockerfile(text, { file });
  for (const w of df.warnings) req.warn?.(w);
  const buildArgs = req.buildArgs ?? new Map<string, string>();
  const named = parseNamedContexts(req.namedContexts ?? new Map(), process.cwd());
  const graph = stageGraph(df, globalScope(df, buildArgs, hostPlatform()), new Set(named.keys()));
  const needed = stagesForTarget(df, graph, req.target);
  const noCacheStages = noCacheFilter(df, req.noCacheFilter ?? []);
  const cacheFrom = (req.cacheFrom ?? []).map((x) => localCacheDir(x, 'from', process.cwd()));
  const cacheTo = (req.cacheTo ?? []).map((x) => localCacheDir(x, 'to', process.cwd()));
  // First pass: the base image names (FROM after global substitution); then their configs.
  const names = resolveDockerfile(df, { buildArgs, stages: needed });
  const want = new Set<string>();
  for (const s of names.stages) if (s?.base.kind === 'image') want.add(s.base.ref);
  for (const i of needed) for (const r of graph.nodes[i]!.refs) if (r.kind === 'image') want.add(r.ref);

  const root = join(req.stateRoot, 'build');
  const tmpRoot = join(root, 'tmp');
  await mkdir(tmpRoot, { recursive: true });
  await reapOrphans(req.runtime);
  await cleanDead(tmpRoot);
  const scratch = join(tmpRoot, `${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(scratch, { mode: 0o700 });
  const deferred: Promise<void>[] = [];
  let opened: Promise<string> | undefined;
  let tainted = false;
  let closing: Promise<void> | undefined;
  // Removed once settled: a namespace set up ahead (run-stage.ts) may still be in the making.
  const closeNetwork = (): Promise<void> =>
    (closing ??= (opened ?? Promise.resolve(''))
      .catch(() => '')
      .then(() => (opened ? req.network!.close(tainted) : undefined))
      .catch(() => undefined));
  try {
    const imported = new Map<string, ImportedStep>();
    for (const dir of cacheFrom) {
      for (const [k, v] of await readCacheDir(dir, (w) => req.warn?.(w))) imported.set(k, v);
    }
    const cache = new CacheIndex(join(root, 'cache'), req.store, imported);
    const statFile = join(root, 'stat-cache.json');
    const statCache = await StatCache.load(statFile);
    const docs = await resolveBases(want, named, req.pull ?? false, { store: req.store, cache, statCache, scratch });
    const build = resolveDockerfile(df, {
      buildArgs,
      stages: needed,
      baseImage: (ref) => baseConfig(configOf(docs.get(ref)?.config)),
    });
    for (const a of build.unusedBuildArgs) req.warn?.(`[Warning] One or more build-args [${a}] were not consumed`);
    let netStages = build.stages.filter((s) => s && needsBuildNetwork(s.steps, req.defaultNetwork)).length;
    const ignore = await loadIgnorePatterns(contextDir, req.dockerfile === undefined ? undefined : dfPath);
    const entries = await walkContext(contextDir, new IgnoreMatcher(ignore.patterns));
    const digests = await contentDigests(contextDir, entries, statCache);
    await statCache.save(statFile);
    const stageNames = new Map<string, number>();
    for (const s of df.stages) {
      if (s.from.stageName && !named.has(s.from.stageName)) stageNames.set(s.from.stageName, s.index);
    }
    const env: BuildEnv = {
      file,
      contextDir,
      entries,
      digests,
      store: req.store,
      runtime: req.runtime,
      cache,
      noCache: req.noCache ?? false,
      noCacheStages,
      scratch,
      cacheMounts: join(root, 'cache-mounts'),
      stages: new Map(),
      stageNames,
      images: docs,
      progress: req.progress,
      secrets: new Map((req.secrets ?? []).map((x) => [x.id, x])),
      network: req.network
        ? (privileged) => {
            tainted ||= privileged === true;
            return (opened ??= req.network!.open());
          }
        : undefined,
      // The last stage done with the bridge removes it beside the steps still to come.
      networkDone: () => void (--netStages === 0 && opened && closeNetwork()),
      allowHostNetwork: req.allowHostNetwork ?? req.defaultNetwork === 'host',
      defaultNetwork: req.defaultNetwork,
      fetched: new Map(),
      runOptions: req.runOptions,
      signal: req.signal,
      defer: (work) => {
        work.catch(() => undefined); // handled now, not an unhandled rejection; the Promise.all below still fails
        deferred.push(work);
      },
    };
    const { configs, last } = await runStages(env, build.stages, graph, docs);
    await Promise.all(deferred); // a RUN container that could not be deleted fails the build, as before
    if (last < 0) throw new DockerfileError(file, 1, '', 'no stage to build');
    const final = configs.get(last)!;
    const result = env.stages.get(last)!;
    const config = { ...final.config, Labels: { ...final.config.Labels, ...req.labels } };
    if (Object.keys(config.Labels).length === 0) delete (config as { Labels?: unknown }).Labels;
    const p = hostPlatform();
    const configFile = {
      architecture: p.architecture,
      os: p.os,
      ...(p.variant ? { variant: p.variant } : {}),
      created: final.created ?? new Date(0).toISOString(),
      config,
      rootfs: { type: 'layers', diff_ids: result.layers.map((l) => l.diffId) },
      history: final.history,
    };
    const image = await req.store.createImage(
      configFile,
      result.layers.map((l) => l.descriptor),
      req.tags,
    );
    for (const dir of cacheTo) await writeCacheDir(dir, cache.used, (d) => req.store.blobFile(d));
    return image;
  } finally {
    await Promise.allSettled(deferred);
    if (opened) await closeNetwork();
    await removeInsideAsync(tmpRoot, scratch);
  }
}
