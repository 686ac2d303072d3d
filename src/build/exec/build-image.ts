// `image build`: a Dockerfile and a context → an image in the store. Parses, picks the stages
// the target needs, resolves them with the base images' configs, reads the context once
// (.dockerignore, content digests through a stat cache kept between builds), runs the stages in
// order, and stores the final stage's layers with its config and history under the tags given.
import { mkdir, readFile, readdir } from 'node:fs/promises';
import { removeInsideAsync } from '../../common/remove-inside.ts';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { ImageStore, LocalImage, StoredLayer } from '../../image/index.ts';
import type { Runtime } from '../../runtime/index.ts';
import { ConfigError, UsageError } from '../../common/errors.ts';
import { parseDockerfile } from '../dockerfile/parse.ts';
import { DockerfileError } from '../dockerfile/errors.ts';
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
import type { BuildSecret } from './run-mounts.ts';
import type { RunOptions } from './run-step.ts';
import type { BuildEnv, Progress } from './run-stage.ts';
import { runStages } from './run-stages.ts';
import { pidAlive } from '../../common/pid-alive.ts';

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
}

/** A network namespace on a bridge with egress, made on first use and removed when the build ends. */
export interface BuildNetwork {
  open(): Promise<string>;
  close(): Promise<void>;
}

/** Temp dirs of builds killed mid-step (their names carry the pid). */
async function cleanDead(tmp: string): Promise<void> {
  for (const n of await readdir(tmp).catch(() => [] as string[])) {
    const pid = Number(n.split('-')[0]);
    if (Number.isInteger(pid) && !pidAlive(pid)) await removeInsideAsync(tmp, join(tmp, n));
  }
}

/** RUN containers of builds that were killed (their autoRemove owner is dead): deleted, with their cgroups. */
async function reapOrphans(rt: Runtime): Promise<void> {
  for (const c of await rt.list().catch(() => [])) {
    const spec = (() => {
      try {
        return rt.spec(c.id);
      } catch {
        return undefined;
      }
    })();
    const owner = Number(spec?.autoRemove?.split(' ')[0]);
    if (spec?.labels?.['gantry.build'] && Number.isInteger(owner) && !pidAlive(owner)) {
      await rt.delete(c.id, { force: true }).catch(() => undefined);
    }
  }
}

const configOf = (docConfig: Record<string, unknown> | undefined): ImageConfigJson | undefined =>
  docConfig?.['config'] as ImageConfigJson | undefined;

function baseConfig(c: ImageConfigJson | undefined): BaseImageConfig {
  return { env: c?.Env ?? [], workingDir: c?.WorkingDir, user: c?.User, shell: c?.Shell, onBuild: c?.OnBuild };
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
  const graph = stageGraph(df, globalScope(df, buildArgs, hostPlatform()));
  const needed = stagesForTarget(df, graph, req.target);
  // First pass: the base image names (FROM after global substitution); then their configs.
  const names = resolveDockerfile(df, { buildArgs, stages: needed });
  const docs = new Map<string, Awaited<ReturnType<ImageStore['documents']>>>();
  const want = new Set<string>();
  for (const s of names.stages) if (s?.base.kind === 'image') want.add(s.base.ref);
  for (const i of needed) for (const r of graph.nodes[i]!.refs) if (r.kind === 'image') want.add(r.ref);
  for (const ref of want) {
    // --pull fetches every base again; a base missing from the store is pulled, as Docker does.
    let d = req.pull ? undefined : await req.store.documents(ref);
    if (!d) {
      await req.store.pull(ref).catch((e: unknown) => {
        throw new UsageError(`image build: base image ${ref}: cannot pull it: ${(e as Error).message.split('\n')[0]}`);
      });
      d = await req.store.documents(ref);
    }
    if (!d) throw new UsageError(`image build: base image ${ref} is not in the local store (gantry image pull ${ref})`);
    docs.set(ref, d);
  }
  const build = resolveDockerfile(df, {
    buildArgs,
    stages: needed,
    baseImage: (ref) => baseConfig(configOf(docs.get(ref)?.config)),
  });
  for (const a of build.unusedBuildArgs) req.warn?.(`[Warning] One or more build-args [${a}] were not consumed`);

  const root = join(req.stateRoot, 'build');
  const tmpRoot = join(root, 'tmp');
  await mkdir(tmpRoot, { recursive: true });
  await reapOrphans(req.runtime);
  await cleanDead(tmpRoot);
  const scratch = join(tmpRoot, `${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(scratch, { mode: 0o700 });
  let opened: Promise<string> | undefined;
  try {
    const ignore = await loadIgnorePatterns(contextDir, req.dockerfile === undefined ? undefined : dfPath);
    const entries = await walkContext(contextDir, new IgnoreMatcher(ignore.patterns));
    const statFile = join(root, 'stat-cache.json');
    const statCache = await StatCache.load(statFile);
    const digests = await contentDigests(contextDir, entries, statCache);
    await statCache.save(statFile);
    const images = new Map<string, { id: string; layers: readonly StoredLayer[] }>();
    for (const [ref, d] of docs) images.set(ref, { id: d!.image.id, layers: d!.layers });
    const stageNames = new Map<string, number>();
    for (const s of df.stages) if (s.from.stageName) stageNames.set(s.from.stageName, s.index);
    const env: BuildEnv = {
      file,
      contextDir,
      entries,
      digests,
      store: req.store,
      runtime: req.runtime,
      cache: new CacheIndex(join(root, 'cache'), req.store),
      noCache: req.noCache ?? false,
      scratch,
      cacheMounts: join(root, 'cache-mounts'),
      stages: new Map(),
      stageNames,
      images,
      progress: req.progress,
      secrets: new Map((req.secrets ?? []).map((x) => [x.id, x])),
      network: req.network ? () => (opened ??= req.network!.open()) : undefined,
      allowHostNetwork: req.allowHostNetwork ?? req.defaultNetwork === 'host',
      defaultNetwork: req.defaultNetwork,
      fetched: new Map(),
      runOptions: req.runOptions,
      signal: req.signal,
    };
    const bases = new Map(
      [...docs].map(([ref, d]) => [ref, { id: d!.image.id, layers: d!.layers, config: d!.config }]),
    );
    const { configs, last } = await runStages(env, build.stages, graph, bases);
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
    return await req.store.createImage(
      configFile,
      result.layers.map((l) => l.descriptor),
      req.tags,
    );
  } finally {
    if (opened) await req.network!.close().catch(() => undefined);
    await removeInsideAsync(tmpRoot, scratch);
  }
}
