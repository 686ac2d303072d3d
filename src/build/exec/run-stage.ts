// One resolved stage, step by step: each step's cache key from its parent's; a layer step
// (RUN, COPY, ADD, WORKDIR) reuses the layer cached under its key or is executed into a fresh
// layer that the store takes in; metadata steps change only the config (imageConfigFor).
import { chmod, mkdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { ImageStore, StoredLayer } from '../../image/index.ts';
import { distinctLayers, type Runtime } from '../../runtime/index.ts';
import { layerKey, stepKey } from '../cache/cache-key.ts';
import { fileSetDigest } from '../context/content-hash.ts';
import { selectSources } from '../context/select-sources.ts';
import type { ContextEntry } from '../context/walk.ts';
import { runInvocation } from '../convert/run-command.ts';
import type { ResolvedStage, ResolvedStep } from '../resolve/types.ts';
import { DockerfileError } from '../dockerfile/errors.ts';
import { RuntimeError } from '../../common/errors.ts';
import type { CacheIndex } from './cache-index.ts';
import { copyStep } from './copy-step.ts';
import { copyFromLayers } from './copy-from.ts';
import { writeLayerTar } from './layer-tar.ts';
import { ensureDirs } from './new-layer.ts';
import { RunFailed, runStep, type RunOptions } from './run-step.ts';
import { checksumDigest, fetchUrl, isUrl, refuseGit, type Fetched } from './fetch-url.ts';
import { mountInputs, prepareMounts, type BuildSecret, type MountEnv } from './run-mounts.ts';
import { networkRelease, prepareNetwork } from './run-network.ts';

export interface StageResult {
  readonly layers: readonly StoredLayer[];
  readonly key: string;
  readonly created: string | undefined;
}

export interface BuildEnv {
  readonly file: string;
  readonly contextDir: string;
  readonly entries: readonly ContextEntry[];
  readonly digests: ReadonlyMap<string, string>;
  readonly store: ImageStore;
  readonly runtime: Runtime;
  readonly cache: CacheIndex;
  readonly noCache: boolean;
  /** --no-cache-filter: the stages (by index) whose steps run again whatever the cache holds. */
  readonly noCacheStages: ReadonlySet<number>;
  readonly scratch: string;
  readonly cacheMounts: string;
  /** Results of earlier stages, by index; images named by COPY --from, by ref. */
  readonly stages: Map<number, StageResult>;
  readonly stageNames: ReadonlyMap<string, number>;
  readonly images: ReadonlyMap<string, { id: string; layers: readonly StoredLayer[] }>;
  readonly progress: Progress;
  readonly secrets: ReadonlyMap<string, BuildSecret>;
  /** The build bridge's namespace for RUN --network=default (made on first use); absent: loopback only. */
  readonly network?: ((privileged?: boolean) => Promise<string>) | undefined;
  /** Said once per stage when none of its steps left needs the build bridge (the build may remove it). */
  readonly networkDone?: (() => void) | undefined;
  readonly allowHostNetwork: boolean;
  readonly defaultNetwork: 'default' | 'none' | 'host' | undefined;
  readonly runOptions: RunOptions | undefined;
  readonly signal: AbortSignal | undefined;
  /** ADD URLs downloaded this build, by URL. */
  readonly fetched: Map<string, Fetched>;
  /** Work left to finish beside the next steps (a RUN container's delete); the build awaits it. */
  readonly defer?: ((work: Promise<void>) => void) | undefined;
}

export interface Progress {
  start(label: string): number;
  output(n: number, line: string): void;
  done(n: number, how: 'CACHED' | 'DONE', ms: number): void;
}

const LAYER = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);
let counter = 0;

function fromSource(env: BuildEnv, from: string): { key: string; layers: readonly StoredLayer[] } {
  const idx = env.stageNames.get(from.toLowerCase()) ?? (/^\d+$/.test(from) ? Number(from) : undefined);
  const stage = idx === undefined ? undefined : env.stages.get(idx);
  if (stage) return stage;
  const img = env.images.get(from);
  if (img) return { key: img.id, layers: img.layers };
  throw new Error(`--from=${from}: no such stage or local image`);
}

/** Layer dirs lowest first, each once (overlayfs refuses a dir named twice; see distinctLayers). */
const distinctDirs = (layers: readonly StoredLayer[]): string[] => distinctLayers(layers.map((l) => l.dir));

function mountEnv(env: BuildEnv): MountEnv {
  return {
    ...env,
    source: (from) => {
      const s = fromSource(env, from);
      return { key: s.key, dirs: distinctDirs(s.layers) };
    },
  };
}

async function contentKey(env: BuildEnv, step: ResolvedStep): Promise<string | undefined> {
  const ins = step.instruction;
  if (ins.kind !== 'COPY' && ins.kind !== 'ADD') return undefined;
  if (ins.kind === 'COPY' && ins.from !== undefined) return fromSource(env, ins.from).key;
  const all = ins.sources.flatMap((s) => (s.kind === 'path' ? [s.path] : []));
  for (const p of all) refuseGit(ins.kind, p);
  const paths = all.filter((p) => !isUrl(p));
  const local = fileSetDigest(selectSources(env.entries, paths), env.digests);
  const urls = all.filter(isUrl);
  if (urls.length === 0 || ins.kind !== 'ADD') return local;
  // With --checksum the content is known without a download (a cache hit fetches nothing).
  const remote = [];
  for (const u of urls) {
    if (ins.checksum !== undefined) remote.push(`${u}@${checksumDigest(ins.checksum)}`);
    else {
      const f = env.fetched.get(u) ?? (await fetchUrl(u, env.scratch, undefined));
      env.fetched.set(u, f);
      remote.push(`${u}@${f.digest}`);
    }
  }
  return `${local}+${remote.join('+')}`;
}

async function execute(
  env: BuildEnv,
  step: ResolvedStep,
  stack: readonly string[],
  n: number,
  afterRun: () => void,
): Promise<StoredLayer> {
  const ins = step.instruction;
  const id = `build-${process.pid}-${++counter}-${Math.random().toString(16).slice(2, 8)}`;
  const layer = join(env.scratch, `${id}-layer`);
  let listed: Buffer | undefined; // a RUN layer's xattrs, as its shim listed them
  if (ins.kind === 'RUN') {
    const inv = runInvocation(ins, step.state.shell);
    const prepared = await prepareMounts(mountEnv(env), ins);
    try {
      listed = await runStep(env.runtime, {
        id,
        layers: stack,
        argv: inv.argv,
        script: inv.script,
        env: [...(step.runEnv ?? []), ...step.proxyEnv, ...prepared.env],
        cwd: step.state.workdir,
        user: step.state.user,
        instruction: ins,
        out: layer,
        scratch: env.scratch,
        mounts: prepared.mounts,
        network: env.network,
        allowHostNetwork: env.allowHostNetwork,
        defaultNetwork: env.defaultNetwork,
        options: env.runOptions,
        signal: env.signal,
        defer: env.defer,
        onOutput: (line) => env.progress.output(n, line),
      });
    } finally {
      prepared.release();
    }
    afterRun(); // before the layer's tar, so the bridge's removal runs beside it
  } else {
    await mkdir(layer);
    await chmod(layer, 0o755);
    if (ins.kind === 'WORKDIR') {
      const dir = posix.resolve(step.state.workdir, ins.path);
      await ensureDirs(layer, stack, dir.slice(1));
    } else if (ins.kind === 'COPY' && ins.from !== undefined) {
      const src = fromSource(env, ins.from);
      await copyFromLayers(layer, ins, distinctDirs(src.layers), stack, step.state.workdir, ins.from);
    } else if (ins.kind === 'COPY' || ins.kind === 'ADD') {
      await copyStep(layer, ins, {
        contextDir: env.contextDir,
        entries: env.entries,
        stack,
        workdir: step.state.workdir,
        fetched: env.fetched,
        scratch: env.scratch,
      });
    }
  }
  const blob = join(env.scratch, `${id}.tar.gz`);
  // Only what a program wrote (RUN) or what another stage holds (COPY --from) can carry xattrs.
  const xattrs = listed ?? (ins.kind === 'RUN' || (ins.kind === 'COPY' && ins.from !== undefined) ? undefined : false);
  const tar = await writeLayerTar(layer, blob, { xattrs });
  return env.store.addLayer({ dir: layer, blob, diffId: tar.diffId, size: tar.size });
}

export async function runStage(
  env: BuildEnv,
  stage: ResolvedStage,
  base: { key: string; layers: readonly StoredLayer[] },
  label: string,
): Promise<StageResult> {
  let key = base.key;
  const layers = [...base.layers];
  let created: string | undefined;
  const noCache = env.noCache || env.noCacheStages.has(stage.index);
  const netCheck = networkRelease(env, stage.steps);
  for (const [i, step] of stage.steps.entries()) {
    const ins = step.instruction;
    const mounts = ins.kind === 'RUN' ? mountInputs(mountEnv(env), ins) : undefined;
    let content: string | undefined;
    try {
      content = await contentKey(env, step);
    } catch (e) {
      throw new DockerfileError(env.file, ins.line, ins.kind, (e as Error).message);
    }
    key = stepKey(key, step, { content, mounts });
    if (!LAYER.has(step.instruction.kind)) continue;
    const n = env.progress.start(`[${label} ${i + 1}/${stage.steps.length}] ${step.instruction.source.trim()}`);
    const t0 = Date.now();
    const hit = noCache ? undefined : await env.cache.get(key);
    if (hit) {
      layers.push(hit.layer);
      created = hit.created;
      key = layerKey(key, hit.layer.diffId);
      env.progress.done(n, 'CACHED', Date.now() - t0);
      continue;
    }
    let made: StoredLayer;
    prepareNetwork(env, stage.steps.slice(i));
    if (env.signal?.aborted) throw new RuntimeError(`interrupted: ${String(env.signal.reason)}`, { exitCode: 130 });
    try {
      made = await execute(env, step, distinctDirs(layers), n, () => netCheck(stage.steps.slice(i + 1)));
    } catch (e) {
      // A Ctrl-C reaches the RUN's processes too (same process group): its exit is the interrupt's.
      if (env.signal?.aborted) throw new RuntimeError(`interrupted: ${String(env.signal.reason)}`, { exitCode: 130 });
      if (e instanceof RunFailed) {
        for (const line of e.tail) env.progress.output(n, line);
        throw new RuntimeError(
          `${env.file}:${ins.line}: ${ins.source.trim()}: did not complete successfully: exit code: ${e.exitCode}`,
        );
      }
      if (e instanceof DockerfileError) throw e;
      throw new DockerfileError(env.file, ins.line, ins.kind, (e as Error).message);
    }
    created = new Date().toISOString();
    await env.cache.put(key, made, created);
    key = layerKey(key, made.diffId);
    layers.push(made);
    env.progress.done(n, 'DONE', Date.now() - t0);
  }
  netCheck([]);
  return { layers, key, created };
}
