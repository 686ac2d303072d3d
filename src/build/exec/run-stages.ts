// The stages a target needs, each started as soon as the stages it uses (FROM, COPY --from,
// RUN --mount from=) are built, so independent stages build side by side, as BuildKit's solver
// does. A failed stage fails its dependents at once; the build waits for the others to settle
// (their containers are deleted by their own steps) and reports the first failure in file order.
import type { StoredLayer } from '../../image/index.ts';
import type { StageGraph } from '../graph/stage-graph.ts';
import type { ResolvedStage } from '../resolve/types.ts';
import { baseKey } from '../cache/cache-key.ts';
import { historyFor, imageConfigFor, type ImageConfigJson } from '../convert/image-config.ts';
import { runStage, type BuildEnv } from './run-stage.ts';

export interface StageConfig {
  readonly config: ImageConfigJson;
  readonly history: unknown[];
  readonly created: string | undefined;
}

export interface BaseImage {
  readonly id: string;
  readonly layers: readonly StoredLayer[];
  readonly config: Record<string, unknown>;
}

const configOf = (c: Record<string, unknown>): ImageConfigJson | undefined =>
  c['config'] as ImageConfigJson | undefined;

export async function runStages(
  env: BuildEnv,
  stages: readonly (ResolvedStage | undefined)[],
  graph: StageGraph,
  bases: ReadonlyMap<string, BaseImage>,
): Promise<{ configs: Map<number, StageConfig>; last: number }> {
  const configs = new Map<number, StageConfig>();
  const running = new Map<number, Promise<void>>();
  const start = (stage: ResolvedStage): Promise<void> => {
    let p = running.get(stage.index);
    if (p) return p;
    p = (async () => {
      const deps = graph.nodes[stage.index]!.refs.flatMap((r) =>
        r.kind === 'stage' && r.index !== stage.index ? [r.index] : [],
      );
      await Promise.all([...new Set(deps)].map((i) => start(stages[i]!)));
      let base: { key: string; layers: readonly StoredLayer[] };
      let parentConfig: ImageConfigJson | undefined;
      let history: unknown[] = [];
      if (stage.base.kind === 'scratch') base = { key: baseKey({ kind: 'scratch' }), layers: [] };
      else if (stage.base.kind === 'stage') {
        const r = env.stages.get(stage.base.index)!;
        base = { key: r.key, layers: r.layers };
        parentConfig = configs.get(stage.base.index)?.config;
        history = [...(configs.get(stage.base.index)?.history ?? [])];
      } else {
        const d = bases.get(stage.base.ref)!;
        base = { key: baseKey({ kind: 'image', digest: d.id }), layers: d.layers };
        parentConfig = configOf(d.config);
        history = [...((d.config['history'] as unknown[] | undefined) ?? [])];
      }
      const result = await runStage(env, stage, base, stage.name ?? `stage-${stage.index}`);
      env.stages.set(stage.index, result);
      const created = result.created;
      history.push(...historyFor(stage).map((h) => ({ created, ...h })));
      configs.set(stage.index, { config: imageConfigFor(stage, parentConfig), history, created });
    })();
    running.set(stage.index, p);
    return p;
  };
  const todo = stages.filter((s): s is ResolvedStage => s !== undefined);
  const settled = await Promise.allSettled(todo.map(start));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return { configs, last: todo.length > 0 ? todo[todo.length - 1]!.index : -1 };
}
